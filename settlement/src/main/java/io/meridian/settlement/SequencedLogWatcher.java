package io.meridian.settlement;

import io.meridian.model.Command;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one kind of the vault's numbered events (ids 1, 2, 3 ...) from confirmed blocks only, in id order and without
 * gaps, after the id the engine last applied: the shared half of {@link DepositWatcher} and
 * {@link ForcedRequestWatcher}.
 *
 * <p><b>Confirmations.</b> An event is read only once its block has {@code confirmations} blocks on top of it (itself
 * included), so a reorg shallower than that never reaches the engine: an event in an orphaned block is never seen, and
 * the event that takes its id on the new branch is read once confirmed. Deeper reorgs are out of the model.
 *
 * <p><b>Bounds.</b> Each poll reads at most {@link #MAX_BLOCKS_PER_POLL} blocks; a gap in the ids (an RPC node that
 * dropped a log) stops the batch there, and the next poll re-reads from the last block it trusts. Not thread-safe.
 *
 * @param <E> the parsed event
 */
public abstract class SequencedLogWatcher<E> {
    /** Blocks read per poll at most, so a watcher catching up never asks a node for an unbounded range. */
    static final long MAX_BLOCKS_PER_POLL = 5_000;

    private final Chain chain;
    private final String vault;
    private final String topic;
    private final int confirmations;
    /** The first block not yet read completely. */
    private long nextBlock;

    SequencedLogWatcher(Chain chain, String vault, String topic, int confirmations, long fromBlock) {
        if (confirmations < 1 || fromBlock < 0) {
            throw new IllegalArgumentException("confirmations >= 1 and a block >= 0 are required");
        }
        this.chain = chain;
        this.vault = vault;
        this.topic = topic;
        this.confirmations = confirmations;
        this.nextBlock = fromBlock;
    }

    /**
     * Makes the next poll read again from {@code block}: the block of an event the engine could not apply yet (a
     * refusal, a token not mapped, a stopped engine), so nothing behind it is skipped.
     */
    public void rewindTo(long block) {
        if (block < 0) {
            throw new IllegalArgumentException("a block >= 0 is required");
        }
        nextBlock = Math.min(nextBlock, block);
    }

    /** The event of a log of this watcher's topic, or null for a log that is not one (malformed). */
    abstract E parse(Log log);

    /** The event's id: 1, 2, 3 ... in the vault's order. */
    public abstract long id(E event);

    /** The block the event is in. */
    public abstract long block(E event);

    /** The engine command the event becomes, or null when the token is not configured (it cannot be applied). */
    public abstract Command command(E event);

    /**
     * The confirmed events after {@code lastAppliedId}, in id order and without gaps, read from blocks up to the newest
     * confirmed one (at most {@link #MAX_BLOCKS_PER_POLL} of them).
     */
    public List<E> poll(long lastAppliedId) {
        long confirmed = chain.blockNumber() - confirmations + 1;
        if (confirmed < nextBlock) {
            return List.of();
        }
        long to = Math.min(confirmed, nextBlock + MAX_BLOCKS_PER_POLL - 1);
        List<E> found = read(nextBlock, to);
        found.sort((a, b) -> Long.compare(id(a), id(b)));
        List<E> next = new ArrayList<>();
        long expected = lastAppliedId + 1;
        for (E event : found) {
            if (id(event) < expected) {
                continue;
            }
            if (id(event) != expected) {
                // A gap: trust nothing after it; re-read from the block of the last good event next time.
                nextBlock = next.isEmpty() ? nextBlock : block(next.get(next.size() - 1));
                return next;
            }
            next.add(event);
            expected++;
        }
        nextBlock = to + 1;
        return next;
    }

    private List<E> read(long from, long to) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), vault);
        filter.addSingleTopic(topic);
        EthLog logs;
        try {
            logs = chain.web3().ethGetLogs(filter).send();
        } catch (IOException e) {
            throw new Chain.ChainException("chain unreachable: " + e.getMessage(), null);
        }
        if (logs.hasError()) {
            throw new Chain.ChainException("eth_getLogs: " + logs.getError().getMessage(), null);
        }
        List<E> out = new ArrayList<>();
        for (EthLog.LogResult<?> result : logs.getLogs()) {
            Log log = (Log) result.get();
            E event = log.isRemoved() ? null : parse(log);
            if (event != null) {
                out.add(event);
            }
        }
        return out;
    }
}
