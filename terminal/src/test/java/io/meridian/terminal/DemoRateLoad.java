package io.meridian.terminal;

import io.meridian.client.MeridianClient;
import io.meridian.client.StreamClient;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Orders at a steady rate through two WebSocket connections, as the demo's agents trade: on each step a maker
 * (accounts 1 and 3) rests a limit order within 20 ticks of 50,000 and a taker (accounts 2 and 4) sends an IOC limit
 * that crosses a few ticks into the other side, so levels are added, changed and swept, trades print and the mark
 * and ticker move. Each account stays under the node's default per-account limit (1,000 orders a second). Seeded.
 */
final class DemoRateLoad implements AutoCloseable {
    private final MeridianClient venue;
    private final Random random;
    private final int ordersPerSecond;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean running = true;
    private Thread thread;

    DemoRateLoad(MeridianClient venue, long seed, int ordersPerSecond) {
        this.venue = venue;
        this.random = new Random(seed);
        this.ordersPerSecond = ordersPerSecond;
    }

    void start() {
        thread = new Thread(this::run, "demo-rate-load");
        thread.setDaemon(true);
        thread.start();
    }

    long sent() {
        return sent.get();
    }

    private void run() {
        try (StreamClient first = new StreamClient(venue, m -> { });
             StreamClient second = new StreamClient(venue, m -> { })) {
            long step = 0;
            long startedAt = System.nanoTime();
            int perTick = Math.max(2, ordersPerSecond / 100);
            while (running) {
                for (int i = 0; i < perTick; i += 2) {
                    StreamClient socket = (i / 2) % 2 == 0 ? first : second;
                    int pair = (i / 2) % 2 == 0 ? 0 : 2;
                    boolean makerBuys = random.nextBoolean();
                    int offset = 1 + random.nextInt(20);
                    String makerPrice = String.valueOf(makerBuys ? 50_000 - offset : 50_000 + offset);
                    String quantity = "0.0" + (1 + random.nextInt(9));
                    socket.place(MeridianClient.Order.limit(1 + pair, 1, makerBuys ? "buy" : "sell", makerPrice,
                            quantity));
                    String takerPrice = String.valueOf(makerBuys ? 50_000 - 5 : 50_000 + 5);
                    socket.place(MeridianClient.Order.limit(2 + pair, 1, makerBuys ? "sell" : "buy", takerPrice,
                            quantity).withTimeInForce("ioc"));
                    sent.addAndGet(2);
                }
                step++;
                long due = startedAt + step * 10_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(5_000);
        }
    }
}
