package io.meridian.app.demo;

import io.meridian.ledger.LedgerView;
import io.meridian.matching.BookView;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.Decimals;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionChains;
import io.meridian.model.PricingSpec;
import io.meridian.model.Side;
import io.meridian.model.StateHasher;
import io.meridian.model.SystemAccounts;
import io.meridian.pricing.PricingView;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code meridian demo} runs {@link GatewayDemo} (a real node, agents through the gateway); with {@code --in-process},
 * this class instead runs the engine in-process with oracle feeds and funding (no gateway, no journal).
 *
 * <p>{@code meridian demo --in-process}: an in-process exchange with BTC-PERP and ETH-PERP priced from oracle-fed
 * indexes (four sources each) and a BTC call and put on the BTC index (marked by the engine from it), seeded market
 * makers and takers trading against them, funding every minute, and a live summary once a second. The agents are
 * seeded, so the order flow is the same for the same seed and pacing; the timestamps come from the clock, as a
 * sequencer's would.
 */
public final class Demo {
    private static final int BTC_PERP = 1;
    private static final int ETH_PERP = 2;
    /** The BTC option pair: the call, then the put (one chain of one expiry and one strike). */
    private static final int BTC_CALL = 3;
    private static final int BTC_PUT = 4;
    private static final AssetSpec USDC = new AssetSpec(0, "USDC", 6);
    /** 1 USDC in minor units. */
    private static final long USD = 1_000_000;
    /** Price sources of each index; each reports the fair price with its own small noise. */
    private static final String[] SOURCES = {"binance", "coinbase", "kraken", "okx"};
    /** Funding every minute and a premium sample every 5 s, so a short demo shows funding being paid. */
    private static final long FUNDING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long PREMIUM_SAMPLE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private Demo() {
    }

    /** Runs the demo; returns the exit code. Options: --seconds N (0 = until interrupted), --seed N, --rate N. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        long seconds = 20;
        long seed = 42;
        long rate = -1;
        long port = 8080;
        String dataDir = "data/demo";
        boolean inProcess = false;
        boolean onChain = false;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            Long number = value == null ? null : parseLong(value);
            switch (args[i]) {
                case "--in-process":
                    inProcess = true;
                    break;
                case "--chain":
                    onChain = true;
                    break;
                case "--data-dir":
                    if (value == null || value.isBlank()) {
                        err.println("demo: --data-dir needs a directory");
                        return 2;
                    }
                    dataDir = value;
                    i++;
                    break;
                case "--seconds":
                case "--seed":
                case "--rate":
                case "--http-port":
                    if (number == null || number < 0 || (args[i].equals("--rate") && number == 0)
                            || (args[i].equals("--http-port") && number > 65_535)) {
                        err.println("demo: " + args[i] + " needs a non-negative whole number");
                        return 2;
                    }
                    if (args[i].equals("--seconds")) {
                        seconds = number;
                    } else if (args[i].equals("--seed")) {
                        seed = number;
                    } else if (args[i].equals("--rate")) {
                        rate = number;
                    } else {
                        port = number;
                    }
                    i++;
                    break;
                default:
                    err.println("demo: unknown option '" + args[i] + "' (options: --seconds N, --seed N, --rate N,"
                            + " --http-port N, --data-dir DIR, --in-process, --chain)");
                    return 2;
            }
        }
        if (inProcess && onChain) {
            err.println("demo: --chain runs the node's settlement loop; the in-process demo has no node");
            return 2;
        }
        if (inProcess) {
            new Demo.Runner(out, seed, rate < 0 ? 20_000 : rate).run(seconds);
            return 0;
        }
        if (onChain && dataDir.equals("data/demo")) {
            // Its own directory: a venue started without a chain cannot later settle one it never knew.
            dataDir = "data/demo-chain";
        }
        return GatewayDemo.run(seconds, seed, rate < 0 ? 2_000 : rate, (int) port, dataDir, onChain, out);
    }

    private static Long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** One demo run: the venue, its agents, the fair-price walks and the printing. */
    private static final class Runner {
        private final PrintStream out;
        private final SplittableRandom random;
        private final long commandsPerSecond;
        private final DemoVenue venue = new DemoVenue();
        private final List<MarketMaker> makers = new ArrayList<>();
        private final List<Taker> takers = new ArrayList<>();
        private final long[] fair = new long[3];
        private final long[] anchor = new long[3];
        private final long epochOffsetNanos;
        private final long startNanos;

        Runner(PrintStream out, long seed, long commandsPerSecond) {
            this.out = out;
            this.random = new SplittableRandom(seed);
            this.commandsPerSecond = commandsPerSecond;
            this.startNanos = System.nanoTime();
            this.epochOffsetNanos = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()) - startNanos;
            venue.addAsset(USDC, now());
            venue.addIndex(IndexSpec.of(BTC_PERP, "BTC-USD", 2, SOURCES), now());
            venue.addIndex(IndexSpec.of(ETH_PERP, "ETH-USD", 2, SOURCES), now());
            venue.addInstrument(InstrumentSpec.perpetual(BTC_PERP, "BTC-PERP", "BTC", "USDC", "0.1", "0.001"),
                    pricing(BTC_PERP), now());
            venue.addInstrument(InstrumentSpec.perpetual(ETH_PERP, "ETH-PERP", "ETH", "USDC", "0.01", "0.01"),
                    pricing(ETH_PERP), now());
            // The 65,000 call and put a month out on the BTC index: the engine marks them by Black-76 at the listing's
            // 80% volatility from the index's first price on; their makers quote around those marks.
            long expiry = now() + TimeUnit.DAYS.toNanos(30);
            for (Command option : OptionChains.generate(OptionChains.Config.of("BTC", BTC_PERP, USDC.symbol(),
                    USDC.scale(), "0.5", "0.01", "1", List.of(expiry), OptionChains.StrikeGrid.of("65000"), BTC_CALL))) {
                venue.submit(option, now());
            }
            anchor[BTC_PERP] = 650_000;
            anchor[ETH_PERP] = 350_000;
            fair[BTC_PERP] = anchor[BTC_PERP];
            fair[ETH_PERP] = anchor[ETH_PERP];
            for (int m = 0; m < 3; m++) {
                makers.add(new MarketMaker(1 + m, BTC_PERP, 5, 5 + 3L * m, 10, 50 + 25L * m, 2));
                makers.add(new MarketMaker(11 + m, ETH_PERP, 5, 3 + 2L * m, 5, 20 + 10L * m, 5));
            }
            for (int t = 0; t < 10; t++) {
                takers.add(new Taker(101 + t, BTC_PERP, 40, 600));
                takers.add(new Taker(201 + t, ETH_PERP, 15, 250));
            }
            for (int option = BTC_CALL; option <= BTC_PUT; option++) {
                makers.add(new MarketMaker(20 + option, option, 3, 20, 10, 10, 1));
                takers.add(new Taker(300 + option, option, 5, 50));
            }
            for (MarketMaker maker : makers) {
                venue.deposit(maker.account(), USDC.id(), 5_000_000 * USD, now());
            }
            for (Taker taker : takers) {
                venue.deposit(taker.account(), USDC.id(), 500_000 * USD, now());
            }
        }

        private static PricingSpec pricing(int index) {
            return PricingSpec.perpetual(index, USDC.scale()).withFundingInterval(FUNDING_INTERVAL_NANOS)
                    .withPremiumSample(PREMIUM_SAMPLE_NANOS).withImpactNotional(20_000 * USD);
        }

        /** Index units (2 decimals) per tick: BTC-PERP's 0.1 is 10, ETH-PERP's 0.01 is 1. */
        private static long unitsPerTick(int instrument) {
            return instrument == BTC_PERP ? 10 : 1;
        }

        private long now() {
            return epochOffsetNanos + System.nanoTime();
        }

        void run(long seconds) {
            out.println("Meridian demo: in-process engine, instruments BTC-PERP, ETH-PERP and the BTC 65,000 call and put, "
                    + makers.size() + " market makers, " + takers.size() + " takers, about " + commandsPerSecond
                    + " commands/s" + (seconds == 0 ? " until interrupted" : " for " + seconds + " s"));
            long deadline = seconds == 0 ? Long.MAX_VALUE : startNanos + TimeUnit.SECONDS.toNanos(seconds);
            long nextPrint = startNanos + TimeUnit.SECONDS.toNanos(1);
            long lastPrintCommands = 0;
            long step = 0;
            while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
                step(step++);
                long targetNanos = startNanos + venue.commands() * 1_000_000_000L / commandsPerSecond;
                long wait = targetNanos - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (System.nanoTime() >= nextPrint) {
                    printSummary((nextPrint - startNanos) / 1_000_000_000L, venue.commands() - lastPrintCommands);
                    lastPrintCommands = venue.commands();
                    nextPrint += TimeUnit.SECONDS.toNanos(1);
                }
            }
            out.println("final state hash " + StateHasher.hex(venue.engine().stateHash()) + " after "
                    + venue.commands() + " commands, " + venue.events() + " events");
        }

        private void step(long step) {
            long now = now();
            for (int instrument = BTC_PERP; instrument <= ETH_PERP; instrument++) {
                long volatility = Math.max(1, fair[instrument] / 20_000);
                long move = Math.round(random.nextGaussian() * volatility);
                long reversion = (anchor[instrument] - fair[instrument]) / 500;
                fair[instrument] = Math.max(100, fair[instrument] + move + reversion);
                if (step % 20 == 0) {
                    // One source reports per step in turn; each with noise of about 1 bp around the fair price.
                    int source = (int) (step / 20 % SOURCES.length);
                    long units = fair[instrument] * unitsPerTick(instrument);
                    long noise = Math.round(random.nextGaussian() * Math.max(1, units / 10_000));
                    venue.submit(venue.command().oracleReport(instrument, source, Math.max(1, units + noise), now),
                            now);
                }
            }
            if (step % 1_000 == 0) {
                Command tick = venue.command();
                tick.type = CommandType.TIME_TICK;
                venue.submit(tick, now);
            }
            for (MarketMaker maker : makers) {
                if (random.nextInt(4) == 0 && fairOf(maker.instrument()) > 0) {
                    maker.requote(venue, fairOf(maker.instrument()), now);
                }
            }
            for (Taker taker : takers) {
                if (random.nextInt(3) == 0 && fairOf(taker.instrument()) > 0) {
                    taker.act(venue, random, fairOf(taker.instrument()), now);
                }
            }
        }

        /** A perpetual's fair price walk, or an option's mark (0 until its index has a price). */
        private long fairOf(int instrument) {
            return instrument <= ETH_PERP ? fair[instrument] : venue.markets().get(instrument).markPrice;
        }

        private void printSummary(long second, long commandsThisSecond) {
            for (DemoVenue.Market market : venue.markets().values()) {
                InstrumentSpec spec = market.spec;
                BookView book = venue.engine().view().book(spec.id());
                PricingView pricing = venue.engine().view().pricing(spec.id());
                if (pricing == null) {
                    // An option: marked from the index at its volatility, no funding.
                    out.printf("[%4ds] %-9s bid %s x %s | ask %s x %s | last %s | index %s | mark %s | vol %.1f%%"
                                    + " | trades %,d | volume %s contracts | open orders %d%n",
                            second, spec.symbol(), price(spec, book.bestBid()), size(spec, book, Side.BUY),
                            price(spec, book.bestAsk()), size(spec, book, Side.SELL), price(spec, market.lastPrice),
                            Decimals.format(venue.engine().view().indexPrice(BTC_PERP), 2), price(spec, market.markPrice),
                            100 * venue.engine().view().optionMarkVolatility(spec.id()), market.trades,
                            spec.formatQuantity(market.volumeLots), book.openOrders());
                    continue;
                }
                out.printf("[%4ds] %-9s bid %s x %s | ask %s x %s | last %s | index %s | mark %s | funding %s%%"
                                + " (last %s%%) | trades %,d | volume %s %s | open orders %d%n",
                        second, spec.symbol(), price(spec, book.bestBid()), size(spec, book, Side.BUY),
                        price(spec, book.bestAsk()), size(spec, book, Side.SELL), price(spec, market.lastPrice),
                        Decimals.format(venue.engine().view().indexPrice(spec.id()), 2), price(spec, market.markPrice),
                        rate(pricing.predictedRate()), rate(pricing.lastRate()), market.trades,
                        spec.formatQuantity(market.volumeLots), spec.baseAsset(), book.openOrders());
            }
            out.printf("[%4ds] commands %,d (%,d/s), events %,d, stops triggered %,d, self-trades prevented %,d,"
                            + " rejects %s%n",
                    second, venue.commands(), commandsThisSecond, venue.events(), venue.stopsTriggered(),
                    venue.canceledBySelfTradePrevention(), venue.rejects());
            out.printf("[%4ds] funding: %,d settlements, %,d account payments%n", second, venue.fundingSettlements(),
                    venue.fundingPayments());
            LedgerView ledger = venue.engine().view().ledger();
            out.printf("[%4ds] ledger: deposits %s USDC, fee pool %s USDC, clearing %s USDC, value conserved: %s%n",
                    second, USDC.format(ledger.netDeposits(USDC.id())),
                    USDC.format(ledger.balance(SystemAccounts.FEE_POOL, USDC.id())),
                    USDC.format(ledger.balance(SystemAccounts.CLEARING, USDC.id())),
                    ledger.isConserved() ? "yes" : "NO: " + ledger.conservationReport());
        }

        /** A rate in 1e-9 as a percentage with 4 decimals. */
        private static String rate(long rate) {
            return Decimals.format(rate / 1_000, 4);
        }

        private static String price(InstrumentSpec spec, long ticks) {
            return ticks == 0 ? "-" : spec.formatPrice(ticks);
        }

        private static String size(InstrumentSpec spec, BookView book, Side side) {
            return book.depth(side) == 0 ? "-" : spec.formatQuantity(book.levelQuantity(side, 0));
        }
    }
}
