package io.meridian.app.load;

import io.meridian.client.BinaryOrderEntry;
import io.meridian.sbe.ExecType;
import io.meridian.sbe.Side;
import io.meridian.sbe.TimeInForce;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code meridian load --protocol binary}: {@link LoadGenerator}'s orders (the same mix from the same seed: half makers
 * resting 1 to 20 ticks from the mark, half IOC takers 20 ticks through it) over the binary order entry, one
 * {@link BinaryOrderEntry} session per connection, logged on with the connection's key; each keeps {@code --window}
 * orders in flight, an answer (ACCEPTED or REJECTED, with the request's client sequence number) freeing a slot. Latency
 * is from queueing an order to reading its answer. Each connection counts on its own reader thread; the counts are
 * summed at the end into the same report and contract line as the WebSocket run.
 */
final class BinaryLoad {
    private BinaryLoad() {
    }

    static int run(LoadGenerator.Options o, LoadGenerator.Run run, LoadGenerator.Workload workload,
                   List<LoadGenerator.Identity> identities, PrintStream out, PrintStream err) {
        URI http = URI.create(o.url());
        List<Sender> senders = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(o.connections());
        long validUntil = System.currentTimeMillis() + TimeUnit.HOURS.toMillis(23);
        try {
            for (int c = 0; c < o.connections(); c++) {
                long budget = o.maxOrders() / o.connections() + (c < o.maxOrders() % o.connections() ? 1 : 0);
                Sender sender = new Sender(o, workload, new SplittableRandom(o.seed() + c), done, budget);
                sender.entry = BinaryOrderEntry.connect(http.getHost(), o.binaryPort(), sender);
                sender.entry.logon(identities.get(c % identities.size()).signer(), validUntil).get(30, TimeUnit.SECONDS);
                senders.add(sender);
            }
        } catch (Exception e) {
            err.println("load: logging on to the binary order entry at " + http.getHost() + ":" + o.binaryPort()
                    + " failed: " + e.getMessage());
            senders.forEach(s -> s.entry.close());
            return 1;
        }
        HealthSampler health = o.healthIntervalMs() == 0 ? null
                : new HealthSampler(http.getHost(), http.getPort(), o.healthIntervalMs());
        out.printf(Locale.ROOT, "load: seed %d, binary order entry on port %d (%s key), %d connection(s), %d in flight"
                        + " each, %d s%s against %s%n", o.seed(), o.binaryPort(), o.key(), o.connections(), o.window(),
                o.seconds(), o.warmup() > 0 ? " after " + o.warmup() + " s warm-up" : "", o.url());
        long start = System.nanoTime();
        run.measureFrom = start + TimeUnit.SECONDS.toNanos(o.warmup());
        run.end = run.measureFrom + TimeUnit.SECONDS.toNanos(o.seconds());
        if (health != null) {
            health.start(run.measureFrom, run.end);
        }
        for (Sender s : senders) {
            s.measureFrom = run.measureFrom;
            s.end = run.end;
            s.start();
        }
        boolean drained;
        try {
            drained = done.await(o.warmup() + o.seconds() + 30L, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        for (Sender s : senders) {
            s.entry.close();
            synchronized (s) {
                run.latency.add(s.latency);
                run.sent += s.sent;
                run.answered += s.answered;
                run.filled += s.filled;
                run.rejects += s.rejects;
                run.errors += s.errors;
                run.unanswered += s.inFlight;
                run.lastAnswer = Math.max(run.lastAnswer, s.lastAnswer);
                if (run.firstReject == null) {
                    run.firstReject = s.firstReject;
                }
                if (run.firstError == null) {
                    run.firstError = s.firstError;
                }
            }
        }
        if (!drained) {
            err.println("load: some orders were never answered (counted as errors)");
        }
        if (health != null) {
            health.stop();
            health.report(out);
        }
        return run.report(out);
    }

    /** One session with a window of orders in flight; its reader thread does the rest once started. */
    static final class Sender implements BinaryOrderEntry.Listener {
        private final LoadGenerator.Options options;
        private final LoadGenerator.Workload workload;
        private final SplittableRandom random;
        private final MixedOrder order = new MixedOrder();
        private final CountDownLatch done;
        private final int slots;
        private final long[] sentAt;
        /** The orders this connection may send (its share of --max-orders). */
        private final long budget;
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        BinaryOrderEntry entry;
        long measureFrom;
        long end;
        long sent;
        long answered;
        long filled;
        long rejects;
        long errors;
        long inFlight;
        long lastAnswer;
        String firstReject;
        String firstError;
        private boolean finished;

        Sender(LoadGenerator.Options options, LoadGenerator.Workload workload, SplittableRandom random,
               CountDownLatch done, long budget) {
            this.budget = budget;
            this.options = options;
            this.workload = workload;
            this.random = random;
            this.done = done;
            this.slots = Integer.highestOneBit(Math.max(2, options.window()) * 4 - 1) << 1;
            this.sentAt = new long[slots];
        }

        synchronized void start() {
            for (int i = 0; i < options.window(); i++) {
                if (!sendNext()) {
                    break;
                }
            }
            if (inFlight == 0) {
                finish();
            }
        }

        /** The next order of the mix, unless the time or the order budget is up. */
        private boolean sendNext() {
            long now = System.nanoTime();
            if (now >= end || sent >= budget) {
                return false;
            }
            MixedOrder o = order.draw(random, workload.markTicks());
            boolean buy = o.buy;
            boolean taker = o.taker;
            long ticks = o.ticks;
            long lots = o.lots;
            long seq = entry.nextClientSeq();
            sentAt[(int) (seq & (slots - 1))] = now;
            entry.place(BinaryOrderEntry.Order.limit(workload.instrument(), buy ? Side.BUY : Side.SELL, ticks, lots)
                    .timeInForce(taker ? TimeInForce.IOC : TimeInForce.GTC));
            inFlight++;
            sent++;
            return true;
        }

        @Override
        public synchronized void onReport(BinaryOrderEntry.Report r) {
            if (r.clientSeqNum() == 0) {
                return;
            }
            long now = System.nanoTime();
            inFlight--;
            long at = sentAt[(int) (r.clientSeqNum() & (slots - 1))];
            if (at >= measureFrom && at < end) {
                latency.recordValue(Math.min(latency.getHighestTrackableValue(), Math.max(0, now - at)));
                lastAnswer = now;
                answered++;
                if (r.execType() == ExecType.REJECTED) {
                    rejects++;
                    if (firstReject == null) {
                        firstReject = r.code() + " " + r.text();
                    }
                } else if (r.quantity() > 0) {
                    filled++;
                }
            }
            if (!sendNext() && inFlight == 0) {
                finish();
            }
        }

        @Override
        public synchronized void onClose(int code, String text) {
            if (!finished && code != 0 && firstError == null) {
                firstError = code + " " + text;
                errors++;
            }
            finish();
        }

        @Override
        public synchronized void onSessionReject(int code, String text) {
            errors++;
            if (firstError == null) {
                firstError = code + " " + text;
            }
        }

        private void finish() {
            if (!finished) {
                finished = true;
                done.countDown();
            }
        }
    }
}
