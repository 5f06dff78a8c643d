package io.meridian.benchmarks;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.matching.NetPositions;
import io.meridian.matching.OrderBook;
import io.meridian.model.Command;
import io.meridian.model.InstrumentSpec;
import org.HdrHistogram.Histogram;

/**
 * The matching module alone: one {@link OrderBook} per instrument with {@link NetPositions} and a listener that
 * ignores every event; each command is {@code book.setContext(sequence, timestamp)} then place, cancel or amend.
 * Measures matching and book maintenance without the engine's envelope checks and event consumption.
 */
public final class MatchingTarget implements BenchTarget {
    private final Workload workload;
    private final OrderBook[] books;
    private final long[] accounts;
    private boolean prepared;
    private boolean prefetch = true;
    private long tradesBefore;

    public MatchingTarget(Workload workload) {
        this(workload, EngineConfig.defaults());
    }

    /** With each book's preallocation and cap from {@code config} ({@code expectedOrdersPerBook}, ...). */
    public MatchingTarget(Workload workload, EngineConfig config) {
        this.workload = workload;
        this.accounts = workload.accounts();
        InstrumentSpec[] specs = workload.instruments();
        NoOpEvents events = new NoOpEvents();
        this.books = new OrderBook[specs.length];
        for (int i = 0; i < specs.length; i++) {
            books[i] = new OrderBook(specs[i], events, new NetPositions(), config.expectedOrdersPerBook(),
                    config.maxOpenOrdersPerBook());
        }
    }

    @Override
    public String name() {
        return "matching";
    }

    @Override
    public String describe() {
        return "matching module alone (OrderBook.place/cancel/amend, NetPositions, no-op listener)";
    }

    @Override
    public void prepare() {
        if (prepared) {
            for (OrderBook book : books) {
                for (long account : accounts) {
                    book.cancelAll(account);
                }
            }
        }
        prepared = true;
        run(workload.prefillStream());
        tradesBefore = trades();
    }

    @Override
    public void prefetch(boolean on) {
        prefetch = on;
    }

    @Override
    public void run(CommandStream commands) {
        boolean ahead = prefetch && openOrders() >= Engine.PREFETCH_FROM_OPEN_ORDERS;
        for (int i = 0, n = commands.size(); i < n; i++) {
            if (ahead) {
                prefetchCommands(commands, i, n);
            }
            apply(commands.get(i));
        }
    }

    /**
     * Times each command alone, without prefetching the next: the clock read around a command waits for the reads in
     * flight, so no overlap could happen here and the next command's misses would be charged to this one.
     */
    @Override
    public void runRecorded(CommandStream commands, Histogram histogram) {
        for (int i = 0, n = commands.size(); i < n; i++) {
            long start = System.nanoTime();
            apply(commands.get(i));
            histogram.recordValue(System.nanoTime() - start);
        }
    }

    /**
     * What the node's sequencer does through the engine before applying command {@code i}: one step of
     * {@code OrderBook.prefetch} for each of the next commands (read from the stream without decoding them).
     */
    private void prefetchCommands(CommandStream commands, int i, int n) {
        for (int step = OrderBook.PREFETCH_STEPS; step >= 1; step--) {
            if (i + step < n) {
                int instrument = commands.instrumentAt(i + step);
                if (instrument >= 0 && instrument < books.length) {
                    books[instrument].prefetch(commands.orderIdAt(i + step), step);
                }
            }
        }
    }

    private void apply(Command c) {
        applyTo(books[c.instrument], c);
    }

    /** Sets the book's context from the command and applies it: the matching-only path of a place, cancel or amend. */
    static void applyTo(OrderBook book, Command c) {
        book.setContext(c.sequence, c.timestamp);
        switch (c.type) {
            case PLACE_ORDER:
                book.place(c);
                break;
            case CANCEL_ORDER:
                book.cancel(c);
                break;
            case AMEND_ORDER:
                book.amend(c);
                break;
            default:
                throw new IllegalArgumentException("the matching benchmark does not take " + c.type);
        }
    }

    private long trades() {
        long trades = 0;
        for (OrderBook book : books) {
            trades += book.tradeCount();
        }
        return trades;
    }

    private long openOrders() {
        long open = 0;
        for (OrderBook book : books) {
            open += book.openOrders();
        }
        return open;
    }

    @Override
    public long checksum() {
        long sum = 0;
        for (OrderBook book : books) {
            sum = sum * 31 + book.l3Sequence() + book.tradeCount();
        }
        return sum;
    }

    @Override
    public String lastRunStats() {
        return (trades() - tradesBefore) + " trades, " + openOrders() + " open orders at the end";
    }

    /** Where the books stand now: trades, resting orders per side and their digest ({@link BookState}). */
    BookState state() {
        return BookState.of(books);
    }

    /** The state the books end in after the workload's pre-fill and stream, replayed once on fresh books. */
    static BookState replayedState(Workload workload) {
        MatchingTarget target = new MatchingTarget(workload);
        target.prepare();
        target.run(workload.stream());
        return target.state();
    }

    /** The book of an instrument, for tests. */
    OrderBook book(int instrument) {
        return books[instrument];
    }
}
