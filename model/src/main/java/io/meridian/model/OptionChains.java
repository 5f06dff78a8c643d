package io.meridian.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Generates the {@code ADD_INSTRUMENT} commands of option chains from a configuration: pure (no clock, no I/O), so
 * the same configuration always gives the same commands, ids and symbols. The operator (or the node at start-up)
 * sends the commands through the sequencer like any other.
 *
 * <p><b>The rule.</b> Expiries are sorted ascending and deduplicated; so are the strikes of the {@link StrikeGrid}.
 * For expiry number e (0-based) and strike number k, the call gets instrument id
 * {@code firstInstrumentId + 2 x (e x strikes + k)} and the put the next id: a chain of E expiries and K strikes uses
 * exactly {@code 2 x E x K} consecutive ids, calls even-offset and puts odd-offset. A strike grid is an explicit list,
 * or {@code countEachSide} steps either side of the reference price rounded to the nearest step (halves up),
 * strikes that would not be positive dropped.
 *
 * <p><b>Symbols</b> are Deribit's: {@code UNDERLYING-DMMMYY-STRIKE-C|P} with the expiry's UTC date (day without a
 * leading zero, English month), the strike without trailing zeros and a decimal point written {@code d}:
 * {@code BTC-27DEC26-60000-C}, {@code XRP-5JAN27-0d55-P}.
 */
public final class OptionChains {
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
        "NOV", "DEC"};

    private OptionChains() {
    }

    /**
     * The strikes of every expiry of a chain: {@code explicit} when it is not null, else a grid of
     * {@code 2 x countEachSide + 1} strikes {@code step} apart around {@code reference}.
     */
    public record StrikeGrid(List<BigDecimal> explicit, BigDecimal reference, BigDecimal step, int countEachSide) {
        public StrikeGrid {
            explicit = explicit == null ? null : List.copyOf(explicit);
        }

        /** An explicit list of strikes. */
        public static StrikeGrid of(String... strikes) {
            List<BigDecimal> list = new ArrayList<>();
            for (String strike : strikes) {
                list.add(new BigDecimal(strike));
            }
            return new StrikeGrid(list, null, null, 0);
        }

        /** {@code countEachSide} strikes {@code step} apart on either side of {@code reference}, rounded to a step. */
        public static StrikeGrid around(String reference, String step, int countEachSide) {
            return new StrikeGrid(null, new BigDecimal(reference), new BigDecimal(step), countEachSide);
        }

        /**
         * The strikes, ascending and distinct.
         *
         * @throws IllegalArgumentException for a non-positive explicit strike, a non-positive step or reference, a
         *                                  negative count, or a grid with no positive strike
         */
        public List<BigDecimal> strikes() {
            TreeSet<BigDecimal> sorted = new TreeSet<>();
            if (explicit != null) {
                for (BigDecimal strike : explicit) {
                    if (strike == null || strike.signum() <= 0) {
                        throw new IllegalArgumentException("strikes must be positive: " + strike);
                    }
                    sorted.add(plain(strike));
                }
            } else {
                if (reference == null || step == null || reference.signum() <= 0 || step.signum() <= 0
                        || countEachSide < 0) {
                    throw new IllegalArgumentException("a strike grid needs a positive reference and step and a count"
                            + " of at least 0: " + this);
                }
                BigDecimal center = reference.divide(step, 0, RoundingMode.HALF_UP).multiply(step);
                for (int i = -countEachSide; i <= countEachSide; i++) {
                    BigDecimal strike = center.add(step.multiply(BigDecimal.valueOf(i)));
                    if (strike.signum() > 0) {
                        sorted.add(plain(strike));
                    }
                }
            }
            if (sorted.isEmpty()) {
                throw new IllegalArgumentException("the strike grid has no positive strike: " + this);
            }
            return List.copyOf(sorted);
        }

        /** Without trailing zeros and without a negative scale: 60000, not 6E+4. */
        private static BigDecimal plain(BigDecimal strike) {
            BigDecimal stripped = strike.stripTrailingZeros();
            return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
        }
    }

    /**
     * One chain: every expiry x every strike x call and put, on one index.
     *
     * @param underlying         symbol prefix and base asset, e.g. "BTC"
     * @param indexId            the underlying index (created by ADD_INDEX before the chain)
     * @param settlementAsset    e.g. "USDC"; the index must be quoted in it
     * @param settlementScale    its decimals (USDC 6)
     * @param tickSize           premium tick per base unit, e.g. "0.5"
     * @param lotSize            contracts per lot, e.g. "0.01"
     * @param contractMultiplier base units per contract, e.g. "1"
     * @param expiries           expiries, epoch nanoseconds
     * @param strikes            the strikes of every expiry
     * @param firstInstrumentId  the first id the chain uses ({@code 2 x expiries x strikes} consecutive ids)
     * @param settlementWindowNanos TWAP window before expiry ({@link OptionSpec#DEFAULT_SETTLEMENT_WINDOW_NANOS})
     * @param initialVolPpm      mark volatility until a mark implies another ({@link OptionSpec#DEFAULT_INITIAL_VOL_PPM})
     */
    public record Config(String underlying, int indexId, String settlementAsset, int settlementScale, String tickSize,
                         String lotSize, String contractMultiplier, List<Long> expiries, StrikeGrid strikes,
                         int firstInstrumentId, long settlementWindowNanos, long initialVolPpm) {
        public Config {
            expiries = List.copyOf(expiries);
        }

        /** A chain with Deribit's 30-minute settlement window and the default initial volatility. */
        public static Config of(String underlying, int indexId, String settlementAsset, int settlementScale,
                                String tickSize, String lotSize, String contractMultiplier, List<Long> expiries,
                                StrikeGrid strikes, int firstInstrumentId) {
            return new Config(underlying, indexId, settlementAsset, settlementScale, tickSize, lotSize,
                    contractMultiplier, expiries, strikes, firstInstrumentId,
                    OptionSpec.DEFAULT_SETTLEMENT_WINDOW_NANOS, OptionSpec.DEFAULT_INITIAL_VOL_PPM);
        }
    }

    /**
     * The ADD_INSTRUMENT commands of the chain in instrument-id order (sequence and timestamp left to the sequencer),
     * each with an {@link InstrumentSpec#option} spec (its defaults for fees, bands and limits) and an
     * {@link OptionSpec}.
     *
     * @throws IllegalArgumentException for a configuration that cannot make a chain (no expiry, a non-positive
     *                                  expiry, a bad strike grid, ids beyond an int)
     */
    public static List<Command> generate(Config config) {
        TreeSet<Long> expiries = new TreeSet<>(config.expiries());
        if (expiries.isEmpty() || expiries.first() <= 0) {
            throw new IllegalArgumentException("a chain needs at least one positive expiry: " + config.expiries());
        }
        List<BigDecimal> strikes = config.strikes().strikes();
        long last = config.firstInstrumentId() + 2L * expiries.size() * strikes.size() - 1;
        if (config.firstInstrumentId() < 0 || last > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("instrument ids " + config.firstInstrumentId() + ".." + last
                    + " are out of range");
        }
        List<Command> commands = new ArrayList<>(2 * expiries.size() * strikes.size());
        int id = config.firstInstrumentId();
        for (long expiry : expiries) {
            for (BigDecimal strike : strikes) {
                for (OptionRight right : OptionRight.values()) {
                    Command c = new Command().reset();
                    c.type = CommandType.ADD_INSTRUMENT;
                    c.instrumentSpec = InstrumentSpec.option(id, symbol(config.underlying(), expiry, strike, right),
                            config.underlying(), config.settlementAsset(), config.settlementScale(),
                            config.tickSize(), config.lotSize(), config.contractMultiplier(), expiry);
                    c.optionSpec = new OptionSpec(config.indexId(), strike, right, config.settlementWindowNanos(),
                            config.initialVolPpm());
                    commands.add(c);
                    id++;
                }
            }
        }
        return commands;
    }

    /** The Deribit-style symbol, e.g. {@code BTC-27DEC26-60000-C} (see the class doc). */
    public static String symbol(String underlying, long expiryNanos, BigDecimal strike, OptionRight right) {
        LocalDate date = LocalDate.ofInstant(Instant.ofEpochSecond(Math.floorDiv(expiryNanos, 1_000_000_000L)),
                ZoneOffset.UTC);
        String strikeText = strike.stripTrailingZeros().toPlainString().replace('.', 'd');
        return underlying + "-" + date.getDayOfMonth() + MONTHS[date.getMonthValue() - 1]
                + String.format(Locale.ROOT, "%02d", date.getYear() % 100) + "-" + strikeText + "-" + right.code();
    }
}
