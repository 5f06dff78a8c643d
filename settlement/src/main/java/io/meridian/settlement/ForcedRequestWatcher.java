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
 * Turns the vault's confirmed {@code ForcedWithdrawalRequested} events into journaled FORCED_WITHDRAWAL commands, in
 * the vault's order: each carries {@code forcedRef} = request id + 1 ({@link Command#forcedRef}), and the engine serves
 * only the next one, so a request seen twice is refused as served. The engine pays out what is free to the address; the
 * next batch carries it with its {@code forcedRef}, and paying that leaf marks the request paid on chain, before the
 * vault's delay lets anyone freeze it. Confirmations, bounds and gaps as {@link SequencedLogWatcher}. Not thread-safe.
 */
public final class ForcedRequestWatcher extends SequencedLogWatcher<ForcedRequestWatcher.ForcedRequest> {
    /**
     * {@code ForcedWithdrawalRequested(uint256 indexed requestId, address indexed account, address asset, uint64
     * deadline)}.
     */
    static final Event REQUESTED = new Event("ForcedWithdrawalRequested", List.of(
            new TypeReference<Uint256>(true) { }, new TypeReference<org.web3j.abi.datatypes.Address>(true) { },
            new TypeReference<org.web3j.abi.datatypes.Address>() { }, new TypeReference<Uint64>() { }));
    private static final String TOPIC = EventEncoder.encode(REQUESTED);

    /** A confirmed request: its {@code forcedRef} (request id + 1), whose, which token, its deadline, where on chain. */
    public record ForcedRequest(long forcedRef, Address account, Address token, long deadlineSeconds, long blockNumber) {
    }

    private final Map<Address, Integer> assetOfToken;

    public ForcedRequestWatcher(Chain chain, String vault, int confirmations, Map<Address, Integer> assetOfToken,
                                long fromBlock) {
        super(chain, vault, TOPIC, confirmations, fromBlock);
        this.assetOfToken = Map.copyOf(assetOfToken);
    }

    /** The FORCED_WITHDRAWAL command of a confirmed request; null for a token not configured. */
    @Override
    public Command command(ForcedRequest request) {
        Integer asset = assetOfToken.get(request.token());
        if (asset == null) {
            return null;
        }
        Command c = new Command().reset();
        c.type = CommandType.FORCED_WITHDRAWAL;
        c.address = request.account().toBytes();
        c.asset = asset;
        c.forcedRef = request.forcedRef();
        return c;
    }

    @Override
    @SuppressWarnings("rawtypes")
    ForcedRequest parse(Log log) {
        if (log.getTopics().size() != 3) {
            return null;
        }
        long requestId = new BigInteger(log.getTopics().get(1).substring(2), 16).longValueExact();
        Address account = Address.parseOrThrow("0x" + log.getTopics().get(2).substring(26));
        List<Type> data = FunctionReturnDecoder.decode(log.getData(), REQUESTED.getNonIndexedParameters());
        Address token = Address.parseOrThrow((String) data.get(0).getValue());
        long deadline = ((BigInteger) data.get(1).getValue()).longValueExact();
        return new ForcedRequest(requestId + 1, account, token, deadline, log.getBlockNumber().longValueExact());
    }

    @Override
    public long id(ForcedRequest request) {
        return request.forcedRef();
    }

    @Override
    public long block(ForcedRequest request) {
        return request.blockNumber();
    }
}
