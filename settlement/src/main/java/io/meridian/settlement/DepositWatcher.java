package io.meridian.settlement;

import io.meridian.auth.Address;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.core.methods.response.Log;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Turns the vault's confirmed {@code Deposited} events into journaled DEPOSIT commands, exactly once: each command
 * carries the vault's deposit id ({@link Command#chainDepositId}), and the engine credits only the next id, so a
 * deposit seen twice (a restart, two watchers, an overlapping scan) is refused as already credited.
 *
 * <p>Confirmations, bounds and gaps as {@link SequencedLogWatcher} (choose K for the chain: Ethereum mainnet's finality
 * is about 64 blocks). Not thread-safe: one poller.
 */
public final class DepositWatcher extends SequencedLogWatcher<DepositWatcher.ChainDeposit> {
    /** Blocks read per poll at most, so a watcher catching up never asks a node for an unbounded range. */
    public static final long MAX_BLOCKS_PER_POLL = SequencedLogWatcher.MAX_BLOCKS_PER_POLL;

    /**
     * {@code Deposited(uint64 indexed depositId, address indexed from, address indexed account, address asset,
     * uint256 amount)}.
     */
    static final Event DEPOSITED = new Event("Deposited", List.of(
            new TypeReference<Uint64>(true) { }, new TypeReference<org.web3j.abi.datatypes.Address>(true) { },
            new TypeReference<org.web3j.abi.datatypes.Address>(true) { },
            new TypeReference<org.web3j.abi.datatypes.Address>() { }, new TypeReference<Uint256>() { }));
    private static final String TOPIC = EventEncoder.encode(DEPOSITED);

    /** A confirmed deposit: the vault's id, who it credits, the token and amount, and where it is on chain. */
    public record ChainDeposit(long depositId, Address account, Address token, long amount, long blockNumber,
                               String transactionHash, long logIndex) {
    }

    private final Map<Address, Integer> assetOfToken;

    /**
     * Watches {@code vault} from block {@code fromBlock} (its deployment block, or the block of the last credited
     * deposit on a restart), crediting tokens as the engine's assets of {@code assetOfToken}.
     */
    public DepositWatcher(Chain chain, String vault, int confirmations, Map<Address, Integer> assetOfToken,
                          long fromBlock) {
        super(chain, vault, TOPIC, confirmations, fromBlock);
        this.assetOfToken = Map.copyOf(assetOfToken);
    }

    /** The DEPOSIT command of a confirmed deposit: by address, with the vault's id; null for a token not configured. */
    @Override
    public Command command(ChainDeposit deposit) {
        Integer asset = assetOfToken.get(deposit.token());
        if (asset == null) {
            return null;
        }
        Command c = new Command().reset();
        c.type = CommandType.DEPOSIT;
        c.address = deposit.account().toBytes();
        c.asset = asset;
        c.amount = deposit.amount();
        c.chainDepositId = deposit.depositId();
        return c;
    }

    @Override
    @SuppressWarnings("rawtypes")
    ChainDeposit parse(Log log) {
        if (log.getTopics().size() != 4) {
            return null;
        }
        long id = new BigInteger(log.getTopics().get(1).substring(2), 16).longValueExact();
        Address account = Address.parseOrThrow("0x" + log.getTopics().get(3).substring(26));
        List<Type> data = FunctionReturnDecoder.decode(log.getData(), DEPOSITED.getNonIndexedParameters());
        Address token = Address.parseOrThrow((String) data.get(0).getValue());
        long amount = ((BigInteger) data.get(1).getValue()).longValueExact();
        return new ChainDeposit(id, account, token, amount, log.getBlockNumber().longValueExact(),
                log.getTransactionHash(), log.getLogIndex().longValueExact());
    }

    @Override
    public long id(ChainDeposit deposit) {
        return deposit.depositId();
    }

    @Override
    public long block(ChainDeposit deposit) {
        return deposit.blockNumber();
    }
}
