package io.meridian.benchmarks;

import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.MarginBracket;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;

import java.util.Arrays;
import java.util.List;

/**
 * A ready-to-replay benchmark input: preallocated {@link Command} objects, so the timed loop allocates nothing.
 * Three parts, applied in this order with consecutive sequence numbers starting at 1:
 * <ol>
 * <li>{@link #setup()}: {@code ADD_ASSET} for the settlement asset, one {@code ADD_INSTRUMENT} per instrument
 * (instrument id = index), then a {@code DEPOSIT} of {@link #ACCOUNT_FUNDING} per account;</li>
 * <li>{@link #prefill()}: resting orders that fill the books before measurement (not timed);</li>
 * <li>{@link #commands()}: the measured stream.</li>
 * </ol>
 * A harness that replays the workload more than once on the same engine first cancels every open order of
 * {@link #accounts()} and then {@link #stamp re-stamps} the prefill and the stream so that their sequence numbers
 * and timestamps continue where the engine stands. Nothing else about the commands changes, and since the
 * instruments have no price band and the workload no conditional or reduce-only orders, a replay after such a
 * reset matches exactly as the first run did.
 */
public final class Workload {
    /** Every benchmark instrument settles in this asset (what {@code InstrumentSpec.perpetual} assumes: 6 decimals). */
    public static final AssetSpec SETTLEMENT_ASSET = new AssetSpec(0, "USD", 6);
    /** Every account gets this many minor units (100 million USD): ample margin; 10,000 accounts stay within a long. */
    public static final long ACCOUNT_FUNDING = 100_000_000L * 1_000_000L;
    /**
     * One margin bracket for every benchmark instrument (maintenance 0.5%, initial 1%, up to 100x): positions drift
     * over repeated runs of a stream, and a tiered table's falling leverage caps would start rejecting orders, which
     * would make later runs measure something else than the first.
     */
    public static final List<MarginBracket> MARGIN_BRACKETS = List.of(new MarginBracket(0, 5_000, 10_000));
    /** Timestamp of the first command: 2025-01-01T00:00:00Z in epoch nanoseconds. */
    public static final long FIRST_TIMESTAMP = 1_735_689_600_000_000_000L;
    /** Nanoseconds between consecutive commands' timestamps. */
    public static final long TIMESTAMP_STEP = 1_000L;

    private final String description;
    private final InstrumentSpec[] instruments;
    private final Command[] setup;
    private final Command[] prefill;
    private final Command[] commands;
    private final CommandStream prefillStream;
    private final CommandStream stream;
    private final long[] accounts;

    /**
     * @param description one line for the summary
     * @param instruments the specs, index = instrument id
     * @param prefill     resting orders placed before measurement; may be empty
     * @param commands    the measured stream
     * @param accounts    every account id that appears, ascending
     */
    public Workload(String description, InstrumentSpec[] instruments, Command[] prefill, Command[] commands,
                    long[] accounts) {
        this.description = description;
        this.instruments = instruments.clone();
        this.setup = new Command[instruments.length + 1 + accounts.length];
        Command asset = new Command();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = SETTLEMENT_ASSET;
        asset.sequence = 1;
        asset.timestamp = FIRST_TIMESTAMP;
        setup[0] = asset;
        for (int i = 0; i < instruments.length; i++) {
            if (instruments[i].id() != i) {
                throw new IllegalArgumentException("instrument ids must be dense from 0: " + instruments[i]);
            }
            if (!instruments[i].settlementAsset().equals(SETTLEMENT_ASSET.symbol())
                    || instruments[i].settlementScale() != SETTLEMENT_ASSET.scale()) {
                throw new IllegalArgumentException("benchmark instruments settle in " + SETTLEMENT_ASSET + ": "
                        + instruments[i]);
            }
            Command c = new Command();
            c.type = CommandType.ADD_INSTRUMENT;
            c.instrument = i;
            c.instrumentSpec = instruments[i];
            c.marginBrackets = MARGIN_BRACKETS;
            c.sequence = i + 2;
            c.timestamp = FIRST_TIMESTAMP;
            setup[i + 1] = c;
        }
        for (int i = 0; i < accounts.length; i++) {
            Command deposit = new Command().deposit(accounts[i], SETTLEMENT_ASSET.id(), ACCOUNT_FUNDING);
            deposit.sequence = instruments.length + 2 + i;
            deposit.timestamp = FIRST_TIMESTAMP;
            setup[instruments.length + 1 + i] = deposit;
        }
        this.prefill = prefill;
        this.commands = commands;
        this.prefillStream = CommandStream.of(prefill);
        this.stream = CommandStream.of(commands);
        this.accounts = accounts.clone();
        stamp(setup.length + 1, FIRST_TIMESTAMP);
    }

    public String description() {
        return description;
    }

    public InstrumentSpec[] instruments() {
        return instruments.clone();
    }

    public int instrumentCount() {
        return instruments.length;
    }

    /** The {@code ADD_ASSET}, {@code ADD_INSTRUMENT} and {@code DEPOSIT} commands (shared, not copied: do not modify). */
    public Command[] setup() {
        return setup;
    }

    /** The pre-fill orders (shared, not copied: do not modify). */
    public Command[] prefill() {
        return prefill;
    }

    /** The pre-fill as the targets replay it ({@link CommandStream}: compact when it can be). */
    public CommandStream prefillStream() {
        return prefillStream;
    }

    /** The measured stream as the targets replay it ({@link CommandStream}: compact when it can be). */
    public CommandStream stream() {
        return stream;
    }

    /** The measured stream (shared, not copied: do not modify). */
    public Command[] commands() {
        return commands;
    }

    /** Every account id in the workload, ascending (a copy). */
    public long[] accounts() {
        return accounts.clone();
    }

    /** Sequence number of the first pre-fill command (of the first stream command when there is no pre-fill). */
    public long firstSequence() {
        return prefill.length > 0 ? prefill[0].sequence : commands.length > 0 ? commands[0].sequence : 0;
    }

    /**
     * Re-stamps the pre-fill and the stream with consecutive sequence numbers from {@code firstSequence} and
     * timestamps from {@code firstTimestamp} in steps of {@link #TIMESTAMP_STEP}. Allocation-free.
     */
    public void stamp(long firstSequence, long firstTimestamp) {
        long sequence = firstSequence;
        long timestamp = firstTimestamp;
        for (int i = 0; i < prefill.length; i++) {
            prefill[i].sequence = sequence;
            prefill[i].timestamp = timestamp;
            prefillStream.stamp(i, sequence++, timestamp);
            timestamp += TIMESTAMP_STEP;
        }
        for (int i = 0; i < commands.length; i++) {
            commands[i].sequence = sequence;
            commands[i].timestamp = timestamp;
            stream.stamp(i, sequence++, timestamp);
            timestamp += TIMESTAMP_STEP;
        }
    }

    @Override
    public String toString() {
        return description + " (" + instruments.length + " instrument(s), " + accounts.length + " accounts, "
                + prefill.length + " pre-fill orders, " + commands.length + " commands)";
    }

    /** Ascending distinct copy of the given account ids. */
    static long[] distinctSorted(long[] ids, int count) {
        long[] sorted = Arrays.copyOf(ids, count);
        Arrays.sort(sorted);
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[n++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, n);
    }
}
