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
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the vault's confirmed {@code Deposited} events into journaled DEPOSIT commands, exactly once: each command
 * carries the vault's deposit id ({@link Command#chainDepositId}), and the engine credits only the next id, so a
 * deposit seen twice (a restart, two watchers, an overlapping scan) is refused as already credited.
 *
 * <p><b>Confirmations.</b> A deposit is read only once its block has {@code confirmations} blocks on top of it (itself
 * included), so a reorg shallower than that never reaches the engine: a deposit in an orphaned block is simply never
 * seen, and the deposit that takes its id on the new branch is read once confirmed. Deeper reorgs are out of its model
 * (choose K for the chain: Ethereum mainnet's finality is about 64 blocks).
 *
 * <p><b>Bounds.</b> Each poll reads at most {@link #MAX_BLOCKS_PER_POLL} blocks and returns deposits in id order,
 * starting after the engine's last credited id; a gap in the ids (an RPC node that dropped a log) stops the batch there,
 * and the next poll re-reads from the last block it trusts. Not thread-safe: one poller.
 */
public final class DepositWatcher {
    /** Blocks read per poll at most, so a watcher catching up never asks a node for an unbounded range. */
    public static final long MAX_BLOCKS_PER_POLL = 5_000;

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

    private final Chain chain;
    private final String vault;
    private final int confirmations;
    private final Map<Address, Integer> assetOfToken;
    /** The first block not yet read completely. */
    private long nextBlock;

    /**
     * Watches {@code vault} from block {@code fromBlock} (its deployment block, or the block of the last credited
     * deposit on a restart), crediting tokens as the engine's assets of {@code assetOfToken}.
     */
    public DepositWatcher(Chain chain, String vault, int confirmations, Map<Address, Integer> assetOfToken,
                          long fromBlock) {
        if (confirmations < 1 || fromBlock < 0) {
            throw new IllegalArgumentException("confirmations >= 1 and a block >= 0 are required");
        }
        this.chain = chain;
        this.vault = vault;
        this.confirmations = confirmations;
        this.assetOfToken = Map.copyOf(assetOfToken);
        this.nextBlock = fromBlock;
    }

    /**
     * The confirmed deposits after {@code lastCreditedId}, in id order and without gaps, read from blocks up to the
     * newest confirmed one (at most {@link #MAX_BLOCKS_PER_POLL} of them).
     */
    public List<ChainDeposit> poll(long lastCreditedId) {
        long confirmed = chain.blockNumber() - confirmations + 1;
        if (confirmed < nextBlock) {
            return List.of();
        }
        long to = Math.min(confirmed, nextBlock + MAX_BLOCKS_PER_POLL - 1);
        List<ChainDeposit> found = read(nextBlock, to);
        found.sort((a, b) -> Long.compare(a.depositId(), b.depositId()));
        List<ChainDeposit> next = new ArrayList<>();
        long expected = lastCreditedId + 1;
        for (ChainDeposit deposit : found) {
            if (deposit.depositId() < expected) {
                continue;
            }
            if (deposit.depositId() != expected) {
                // A gap: trust nothing after it; re-read from the block of the last good deposit next time.
                nextBlock = next.isEmpty() ? nextBlock : next.get(next.size() - 1).blockNumber();
                return next;
            }
            next.add(deposit);
            expected++;
        }
        nextBlock = to + 1;
        return next;
    }

    /** The DEPOSIT command of a confirmed deposit: by address, with the vault's id; null for a token not configured. */
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

    @SuppressWarnings("rawtypes")
    private List<ChainDeposit> read(long from, long to) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), vault);
        filter.addSingleTopic(TOPIC);
        EthLog logs;
        try {
            logs = chain.web3().ethGetLogs(filter).send();
        } catch (IOException e) {
            throw new Chain.ChainException("chain unreachable: " + e.getMessage(), null);
        }
        if (logs.hasError()) {
            throw new Chain.ChainException("eth_getLogs: " + logs.getError().getMessage(), null);
        }
        List<ChainDeposit> out = new ArrayList<>();
        for (EthLog.LogResult<?> result : logs.getLogs()) {
            Log log = (Log) result.get();
            if (log.isRemoved() || log.getTopics().size() != 4) {
                continue;
            }
            long id = new BigInteger(log.getTopics().get(1).substring(2), 16).longValueExact();
            Address account = Address.parseOrThrow("0x" + log.getTopics().get(3).substring(26));
            List<Type> data = FunctionReturnDecoder.decode(log.getData(), DEPOSITED.getNonIndexedParameters());
            Address token = Address.parseOrThrow((String) data.get(0).getValue());
            long amount = ((BigInteger) data.get(1).getValue()).longValueExact();
            out.add(new ChainDeposit(id, account, token, amount, log.getBlockNumber().longValueExact(),
                    log.getTransactionHash(), log.getLogIndex().longValueExact()));
        }
        return out;
    }
}
