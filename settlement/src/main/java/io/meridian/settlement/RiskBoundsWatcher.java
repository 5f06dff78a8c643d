package io.meridian.settlement;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.RiskBounds;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.core.methods.response.Log;

import java.math.BigInteger;
import java.util.List;

/**
 * Turns the vault's confirmed {@code RiskBoundsPublished} events (which only its governor, the M-of-N multisig with its
 * timelock, can emit) into journaled CHAIN_RISK_BOUNDS commands in the vault's order: each carries the publication's
 * {@code ref} as {@link Command#chainRef}, and the engine applies only the next one, so a publication seen twice is
 * refused as applied. Confirmations, bounds and gaps as {@link SequencedLogWatcher}. Not thread-safe.
 */
public final class RiskBoundsWatcher extends SequencedLogWatcher<RiskBoundsWatcher.Publication> {
    /**
     * {@code RiskBoundsPublished(uint64 indexed ref, uint32 indexed instrument, uint64 floorPpm, uint64 ceilingPpm,
     * uint64 maxChangePerHourPpm, uint64 hysteresisPpm, uint64 noticeMillis)}.
     */
    static final Event PUBLISHED = new Event("RiskBoundsPublished", List.of(
            new TypeReference<Uint64>(true) { }, new TypeReference<Uint32>(true) { },
            new TypeReference<Uint64>() { }, new TypeReference<Uint64>() { }, new TypeReference<Uint64>() { },
            new TypeReference<Uint64>() { }, new TypeReference<Uint64>() { }));
    private static final String TOPIC = EventEncoder.encode(PUBLISHED);

    /** A confirmed publication: its ref (1, 2, ...), the instrument, the bounds, where on chain. */
    public record Publication(long ref, int instrument, RiskBounds bounds, long blockNumber) {
    }

    public RiskBoundsWatcher(Chain chain, String vault, int confirmations, long fromBlock) {
        super(chain, vault, TOPIC, confirmations, fromBlock);
    }

    @Override
    public Command command(Publication publication) {
        Command c = new Command().reset();
        c.type = CommandType.CHAIN_RISK_BOUNDS;
        c.chainRef = publication.ref();
        c.instrument = publication.instrument();
        c.riskBounds = publication.bounds();
        return c;
    }

    @Override
    @SuppressWarnings("rawtypes")
    Publication parse(Log log) {
        if (log.getTopics().size() != 3) {
            return null;
        }
        long ref = new BigInteger(log.getTopics().get(1).substring(2), 16).longValueExact();
        long instrument = new BigInteger(log.getTopics().get(2).substring(2), 16).longValueExact();
        List<Type> data = FunctionReturnDecoder.decode(log.getData(), PUBLISHED.getNonIndexedParameters());
        long[] v = new long[5];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((BigInteger) data.get(i).getValue()).longValueExact();
        }
        // An instrument id past int (the event allows uint32) is no instrument: the engine announces it canceled.
        return new Publication(ref, (int) Math.min(instrument, Integer.MAX_VALUE), new RiskBounds(v[0], v[1], v[2], v[3], v[4]),
                log.getBlockNumber().longValueExact());
    }

    @Override
    public long id(Publication publication) {
        return publication.ref();
    }

    @Override
    public long block(Publication publication) {
        return publication.blockNumber();
    }
}
