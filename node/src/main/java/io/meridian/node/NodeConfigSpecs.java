package io.meridian.node;

import io.meridian.auth.AgentKey;
import io.meridian.auth.Outcome;
import io.meridian.engine.EngineConfig;
import io.meridian.engine.LiquidationConfig;
import io.meridian.model.Command;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionChains;
import io.meridian.model.OptionMarginSpec;
import io.meridian.model.PricingSpec;
import io.meridian.node.NodeConfig.Asset;
import io.meridian.node.NodeConfig.EngineSection;
import io.meridian.node.NodeConfig.Index;
import io.meridian.node.NodeConfig.Instrument;
import io.meridian.node.NodeConfig.LiquidationSection;
import io.meridian.node.NodeConfig.OptionMargin;
import io.meridian.node.NodeConfig.OptionChain;
import io.meridian.node.NodeConfig.Pricing;
import io.meridian.risk.options.PortfolioMarginParams;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the engine is given for a config: its engine settings, the specs of its instruments and indexes, the commands
 * that list its option chains. Split out of {@link NodeConfig} (which delegates to these); stateless.
 */
final class NodeConfigSpecs {
    private NodeConfigSpecs() {
    }

    /**
     * The engine settings for a new journal: the defaults with the config's {@code engine} overrides.
     *
     * @throws IllegalArgumentException when the engine refuses them
     */
    static EngineConfig engineConfig(EngineSection engine) {
        EngineConfig d = EngineConfig.defaults();
        if (engine == null) {
            return d;
        }
        LiquidationConfig l = d.liquidation();
        LiquidationSection o = engine.liquidation();
        LiquidationConfig liquidation = o == null ? l : new LiquidationConfig(or(o.feePpm(), l.feePpm()),
                or(o.feeCapPpm(), l.feeCapPpm()), or(o.targetPpm(), l.targetPpm()),
                or(o.maxStepSharePpm(), l.maxStepSharePpm()), or(o.maxStepUnits(), l.maxStepUnits()),
                or(o.minFullCloseUnits(), l.minFullCloseUnits()), or(o.backstopAccount(), l.backstopAccount()),
                o.maxStepsPerAccount() != null ? o.maxStepsPerAccount() : l.maxStepsPerAccount(),
                or(o.insuranceFundFloorUnits(), l.insuranceFundFloorUnits()),
                or(o.unwindBandPpm(), l.unwindBandPpm()), or(o.unwindSharePpm(), l.unwindSharePpm()));
        return new EngineConfig(engine.maxInstruments() != null ? engine.maxInstruments() : d.maxInstruments(),
                engine.expectedOrdersPerBook() != null ? engine.expectedOrdersPerBook() : d.expectedOrdersPerBook(),
                engine.maxOpenOrdersPerBook() != null ? engine.maxOpenOrdersPerBook() : d.maxOpenOrdersPerBook(),
                engine.maxOpenOrdersPerAccount() != null ? engine.maxOpenOrdersPerAccount()
                        : d.maxOpenOrdersPerAccount(),
                engine.vipFeeTiers() != null ? engine.vipFeeTiers() : d.vipFeeTiers(), liquidation,
                engine.optionRepriceIntervalNanos() != null ? engine.optionRepriceIntervalNanos()
                        : d.optionRepriceIntervalNanos());
    }

    /**
     * The engine's index spec of a configured index: the library's defaults for staleness and outliers, and the
     * configured guards over the default ones.
     */
    static IndexSpec indexSpec(Index index) {
        IndexSpec spec = IndexSpec.of(index.id(), index.symbol(), index.priceDecimals(),
                index.sources().toArray(String[]::new));
        spec = spec.withMaxMovePpmPerSecond(or(index.maxMovePpmPerSecond(), spec.maxMovePpmPerSecond()));
        long window = index.divergenceWindowSeconds() == null ? spec.divergenceWindowNanos()
                : index.divergenceWindowSeconds() * 1_000_000_000L;
        return spec.withDivergenceGuard(window, or(index.maxDivergencePpm(), spec.maxDivergencePpm()),
                index.holdOnDivergence() == null ? spec.holdOnDivergence() : index.holdOnDivergence());
    }

    /** The ADD_INSTRUMENT commands of every chain of {@code config}, in id order. */
    static List<Command> optionCommands(NodeConfig config) {
        List<Command> commands = new ArrayList<>();
        for (OptionChain chain : config.markets().optionChains()) {
            commands.addAll(OptionChains.generate(chainConfig(config, chain)));
        }
        return commands;
    }

    /** Every tradable instrument of {@code config}: the perpetuals, then the option series of the chains. */
    static Map<Integer, InstrumentSpec> allSpecs(NodeConfig config) {
        Map<Integer, InstrumentSpec> specs = new LinkedHashMap<>();
        for (Instrument in : config.instruments()) {
            specs.put(in.id(), spec(in));
        }
        for (Command c : optionCommands(config)) {
            specs.put(c.instrumentSpec.id(), c.instrumentSpec);
        }
        return specs;
    }

    /** The option-chain generator's input for one configured chain. */
    static OptionChains.Config chainConfig(NodeConfig config, OptionChain chain) {
        int scale = config.assets().stream().filter(a -> a.symbol().equals(chain.settle())).findFirst()
                .map(Asset::scale).orElse(-1);
        List<Long> expiries = new ArrayList<>();
        for (String expiry : chain.expiries()) {
            Instant at = Instant.parse(expiry);
            expiries.add(at.getEpochSecond() * 1_000_000_000L + at.getNano());
        }
        OptionChains.StrikeGrid grid = chain.strikes() != null && !chain.strikes().isEmpty()
                ? OptionChains.StrikeGrid.of(chain.strikes().toArray(String[]::new))
                : OptionChains.StrikeGrid.around(chain.reference(), chain.step(),
                        chain.countEachSide() == null ? 0 : chain.countEachSide());
        return OptionChains.Config.of(chain.underlying(), chain.index(), chain.settle(), scale, chain.tickSize(),
                chain.lotSize(), chain.contractMultiplier() == null ? "1" : chain.contractMultiplier(), expiries, grid,
                chain.firstId());
    }

    /**
     * The pricing spec of a configured perpetual: null when the operator sets its mark, else the defaults on its index
     * with the configured overrides.
     *
     * @throws IllegalArgumentException for an impact notional that is not a positive decimal of the asset's scale
     */
    static PricingSpec pricingSpec(Instrument in, int settlementScale) {
        if (in.index() == null) {
            return null;
        }
        PricingSpec spec = PricingSpec.perpetual(in.index(), settlementScale);
        Pricing p = in.pricing();
        if (p == null) {
            return spec;
        }
        long impact = spec.impactNotional();
        if (p.impactNotional() != null) {
            BigDecimal minor = new BigDecimal(p.impactNotional()).movePointRight(settlementScale);
            if (minor.signum() <= 0 || minor.stripTrailingZeros().scale() > 0) {
                throw new IllegalArgumentException("pricing.impactNotional: a positive amount with at most "
                        + settlementScale + " decimals, was " + p.impactNotional());
            }
            impact = minor.longValueExact();
        }
        return new PricingSpec(in.index(), or(p.markEmaWindowNanos(), spec.markEmaWindowNanos()),
                or(p.fundingIntervalNanos(), spec.fundingIntervalNanos()),
                or(p.premiumSampleNanos(), spec.premiumSampleNanos()), impact,
                or(p.interestRate8h(), spec.interestRate8h()),
                or(p.fundingClamp8h(), spec.fundingClamp8h()), or(p.maxFundingRate8h(), spec.maxFundingRate8h()),
                or(p.markBandPpm(), spec.markBandPpm()));
    }

    /**
     * The engine's spec of a configured perpetual: its price band as configured,
     * {@link NodeConfig#DEFAULT_PRICE_BAND_PPM} when not given (the book rejects orders priced beyond it from the
     * mark, so a bid far above a healthy market cannot rest there, let alone print).
     */
    static InstrumentSpec spec(Instrument in) {
        return InstrumentSpec.perpetual(in.id(), in.symbol(), in.base(), in.settle(), in.tickSize(), in.lotSize())
                .withPriceBandPpm(or(in.priceBandPpm(), NodeConfig.DEFAULT_PRICE_BAND_PPM));
    }

    /** The perpetuals with their marks set by the operator instead of an index (see NodeConfig). */
    static List<Instrument> operatorMarked(List<Instrument> instruments) {
        List<Instrument> marked = new ArrayList<>();
        for (Instrument in : instruments) {
            marked.add(new Instrument(in.id(), in.symbol(), in.base(), in.settle(), in.tickSize(), in.lotSize(),
                    in.markPrice(), null, null, in.priceBandPpm()));
        }
        return marked;
    }

    /**
     * The option margin overrides {@code o} applied to {@code d}; throws IllegalArgumentException for a grid that
     * cannot be built.
     */
    static OptionMarginSpec optionMargin(OptionMargin o, OptionMarginSpec d) {
        List<Long> moves = o.priceMovesPpm() != null ? o.priceMovesPpm() : d.priceMovesPpm();
        if (o.maxMovePpm() != null || o.movesEachSide() != null) {
            if (o.priceMovesPpm() != null || o.maxMovePpm() == null || o.movesEachSide() == null) {
                throw new IllegalArgumentException("give either priceMovesPpm or both maxMovePpm and movesEachSide");
            }
            moves = PortfolioMarginParams.evenMoves(o.maxMovePpm(), o.movesEachSide());
        }
        return new OptionMarginSpec(or(o.shortOptionRatePpm(), d.shortOptionRatePpm()),
                or(o.shortOptionFloorPpm(), d.shortOptionFloorPpm()), or(o.futuresRatePpm(), d.futuresRatePpm()),
                or(o.standardMaintenancePpm(), d.standardMaintenancePpm()), moves,
                o.volShocks() != null ? o.volShocks() : d.volShocks(), or(o.volFloorPpm(), d.volFloorPpm()),
                or(o.volTermDays(), d.volTermDays()), or(o.volTermExponentPpm(), d.volTermExponentPpm()),
                or(o.shortOptionAddOnPpm(), d.shortOptionAddOnPpm()),
                or(o.concentrationThresholdMicros(), d.concentrationThresholdMicros()),
                or(o.concentrationAddOnPpm(), d.concentrationAddOnPpm()), or(o.deltaBoundMicros(), d.deltaBoundMicros()),
                or(o.deltaAddOnPpm(), d.deltaAddOnPpm()), or(o.portfolioMaintenancePpm(), d.portfolioMaintenancePpm()));
    }

    /** The Ed25519 key of a feed, from its hex in the config; null for none (or not a key: refused at start). */
    static AgentKey feedKey(String hex) {
        if (hex == null) {
            return null;
        }
        Outcome<AgentKey> key = AgentKey.parseHex(hex);
        return key.isOk() ? key.value() : null;
    }

    /**
     * The volatility controller's policy: the reference volatility and step as ppm of their decimals (defaults for
     * those left out).
     *
     * @throws IllegalArgumentException naming the field whose value is not usable
     */
    static io.meridian.engine.VolatilityRiskPolicy riskPolicy(NodeConfig.RiskController c) {
        long reference = ppm(c.referenceVolatility() == null ? NodeConfig.RiskController.DEFAULT_REFERENCE_VOLATILITY
                : c.referenceVolatility(), "riskController.referenceVolatility", 10_000_000);
        long step = ppm(c.step() == null ? NodeConfig.RiskController.DEFAULT_STEP : c.step(), "riskController.step",
                io.meridian.model.RiskBounds.MAX_CEILING_PPM);
        long lead = or(c.minimumLeadMillis(), NodeConfig.RiskController.DEFAULT_MINIMUM_LEAD_MILLIS);
        if (lead < 0 || lead > io.meridian.model.RiskBounds.MAX_NOTICE_MILLIS) {
            throw new IllegalArgumentException("riskController.minimumLeadMillis: must be 0.."
                    + io.meridian.model.RiskBounds.MAX_NOTICE_MILLIS + " (a day), was " + lead);
        }
        return new io.meridian.engine.VolatilityRiskPolicy(reference, step, lead);
    }

    /** A positive decimal of at most six decimals, at most {@code maxPpm} ppm, as ppm. */
    private static long ppm(String text, String field, long maxPpm) {
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": not a decimal: '" + text + "'");
        }
        BigDecimal ppm = value.movePointRight(6);
        if (ppm.signum() <= 0 || ppm.stripTrailingZeros().scale() > 0 || ppm.compareTo(BigDecimal.valueOf(maxPpm)) > 0) {
            throw new IllegalArgumentException(field + ": must be a positive decimal of at most 6 decimals, at most "
                    + BigDecimal.valueOf(maxPpm, 6).stripTrailingZeros().toPlainString() + ", was " + text);
        }
        return ppm.longValueExact();
    }

    /** {@code value}, or {@code otherwise} when it is left out (null). */
    static long or(Long value, long otherwise) {
        return value != null ? value : otherwise;
    }
}
