package io.meridian.node;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.meridian.auth.Address;
import io.meridian.auth.AgentKey;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Outcome;
import io.meridian.engine.OptionMarginSpecs;
import io.meridian.engine.EngineConfig;
import io.meridian.engine.LiquidationConfig;
import io.meridian.journal.SnapshotPolicy;
import io.meridian.model.Command;
import io.meridian.model.FixedPoint;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionChains;
import io.meridian.model.OptionMarginSpec;
import io.meridian.model.PricingSpec;
import io.meridian.model.RejectReason;
import io.meridian.risk.margin.FeeTier;
import io.meridian.risk.options.PortfolioMarginParams;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The node's settings, read from a JSON file (docs/node.md has every field with its default). Unknown fields, wrong
 * types and bad values are refused with a message naming the field, before anything starts.
 *
 * @param dataDir               journal and snapshots (default {@code data/node})
 * @param httpHost              address the gateway binds (default {@code 127.0.0.1})
 * @param httpPort              gateway port (default 8080; 0 picks a free one)
 * @param durability            {@code group_commit} (default) or {@code none}
 * @param snapshotEveryCommands a snapshot after this many commands (default 1,000,000; 0 = never)
 * @param maxBodyBytes          largest accepted request body (default 65,536)
 * @param devMode               enables {@code POST /v1/dev/deposit} (default false in a file, true in the built-in
 *                              demo venue): deposits normally come from the chain, not from the API
 *                              (the built-in demo venue is also in auth mode open; a file defaults to signed)
 * @param assets                settlement and collateral assets
 * @param instruments           perpetuals; each needs a mark price to start trading
 * @param ordersPerSecondPerAccount       token-bucket rate of orders and cancels per account (default 1,000)
 * @param requestsPerSecondPerConnection  token-bucket rate of requests per connection (default 50,000)
 * @param auth                  who may make requests: by signed address only, or also by account id (see {@link Auth})
 * @param pruneJournal          delete journal segments wholly before the oldest of the three snapshots kept (default
 *                              false: the journal is the audit record; ship segments elsewhere before turning it on)
 * @param markets               price indexes fed by oracle reports, and option chains on them (default none in a
 *                              file; the built-in demo venue has BTC options, see {@link #defaultMarkets})
 * @param snapshotReplica       a second engine takes the snapshots, so the engine thread never pauses for one (default
 *                              false; it costs the memory of a second engine and a core: docs/journal.md)
 * @param engine                engine settings (fee tiers, liquidation, capacities) for a new journal, or null for the
 *                              defaults; pinned with the journal at its creation (docs/journal.md), so a start whose
 *                              explicit settings differ from its journal's is refused
 * @param fix                   the FIX 4.4 order-entry acceptor ({@link Fix}), or null for none (the default)
 */
public record NodeConfig(String dataDir, String httpHost, int httpPort, String durability, long snapshotEveryCommands,
                         int maxBodyBytes, boolean devMode, List<Asset> assets, List<Instrument> instruments,
                         int ordersPerSecondPerAccount, int requestsPerSecondPerConnection, Auth auth,
                         boolean pruneJournal, Markets markets, boolean snapshotReplica, EngineSection engine, Fix fix) {

    /** The settings without a FIX acceptor. */
    public NodeConfig(String dataDir, String httpHost, int httpPort, String durability, long snapshotEveryCommands,
                      int maxBodyBytes, boolean devMode, List<Asset> assets, List<Instrument> instruments,
                      int ordersPerSecondPerAccount, int requestsPerSecondPerConnection, Auth auth,
                      boolean pruneJournal, Markets markets, boolean snapshotReplica, EngineSection engine) {
        this(dataDir, httpHost, httpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode, assets, instruments,
                ordersPerSecondPerAccount, requestsPerSecondPerConnection, auth, pruneJournal, markets, snapshotReplica,
                engine, null);
    }

    /**
     * The FIX 4.4 order-entry acceptor (docs/api.md, "FIX 4.4"): it listens on {@code httpHost} at {@code port} (0
     * picks a free one) as {@code senderCompId} (the clients' TargetCompID; default {@code MERIDIAN}).
     */
    public record Fix(int port, String senderCompId) {
        /** The acceptor's CompID when the config names none. */
        public static final String DEFAULT_SENDER_COMP_ID = "MERIDIAN";
    }

    /** A copy with a FIX acceptor (or none, for null). */
    public NodeConfig withFix(Fix newFix) {
        return new NodeConfig(dataDir, httpHost, httpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode,
                assets, instruments, ordersPerSecondPerAccount, requestsPerSecondPerConnection, auth, pruneJournal,
                markets, snapshotReplica, engine, newFix);
    }

    /** The settings with the default engine settings. */
    public NodeConfig(String dataDir, String httpHost, int httpPort, String durability, long snapshotEveryCommands,
                      int maxBodyBytes, boolean devMode, List<Asset> assets, List<Instrument> instruments,
                      int ordersPerSecondPerAccount, int requestsPerSecondPerConnection, Auth auth,
                      boolean pruneJournal, Markets markets, boolean snapshotReplica) {
        this(dataDir, httpHost, httpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode, assets, instruments,
                ordersPerSecondPerAccount, requestsPerSecondPerConnection, auth, pruneJournal, markets, snapshotReplica,
                null);
    }

    /**
     * Engine settings ({@link EngineConfig}); every field optional, overriding the default of the same name:
     * {@code maxInstruments}, {@code expectedOrdersPerBook}, {@code maxOpenOrdersPerBook},
     * {@code maxOpenOrdersPerAccount}, {@code vipFeeTiers} ({@code [{"makerPpm","takerPpm"}]}, tiers 1..n),
     * {@code liquidation} ({@code feePpm}, {@code feeCapPpm}, {@code targetPpm}, {@code maxStepSharePpm},
     * {@code maxStepUnits}, {@code minFullCloseUnits}, {@code backstopAccount}, {@code maxStepsPerAccount},
     * {@code insuranceFundFloorUnits}, {@code unwindBandPpm}, {@code unwindSharePpm}) and
     * {@code optionRepriceIntervalNanos}.
     */
    public record EngineSection(Integer maxInstruments, Integer expectedOrdersPerBook, Integer maxOpenOrdersPerBook,
                                Integer maxOpenOrdersPerAccount, List<FeeTier> vipFeeTiers, LiquidationSection liquidation,
                                Long optionRepriceIntervalNanos) {
    }

    /** Liquidation settings ({@link LiquidationConfig}); every field optional. */
    public record LiquidationSection(Long feePpm, Long feeCapPpm, Long targetPpm, Long maxStepSharePpm,
                                     Long maxStepUnits, Long minFullCloseUnits, Long backstopAccount,
                                     Integer maxStepsPerAccount, Long insuranceFundFloorUnits, Long unwindBandPpm,
                                     Long unwindSharePpm) {
        /** Only the fee set: the other settings at their defaults. */
        public static LiquidationSection ofFee(Long feePpm) {
            return new LiquidationSection(feePpm, null, null, null, null, null, null, null, null, null, null);
        }
    }

    /**
     * The engine settings for a new journal: the defaults with {@link #engine}'s overrides.
     *
     * @throws IllegalArgumentException when the engine refuses them
     */
    public EngineConfig engineConfig() {
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
     * The perpetuals with their marks set by the operator instead of an index: for a config that keeps these
     * instruments but not the indexes they are priced from (tests, tools).
     */
    public List<Instrument> operatorMarkedInstruments() {
        List<Instrument> marked = new ArrayList<>();
        for (Instrument in : instruments) {
            marked.add(new Instrument(in.id(), in.symbol(), in.base(), in.settle(), in.tickSize(), in.lotSize(),
                    in.markPrice(), null, null, in.priceBandPpm()));
        }
        return marked;
    }

    /** The settings with snapshots taken by the engine itself. */
    public NodeConfig(String dataDir, String httpHost, int httpPort, String durability, long snapshotEveryCommands,
                      int maxBodyBytes, boolean devMode, List<Asset> assets, List<Instrument> instruments,
                      int ordersPerSecondPerAccount, int requestsPerSecondPerConnection, Auth auth,
                      boolean pruneJournal, Markets markets) {
        this(dataDir, httpHost, httpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode, assets, instruments,
                ordersPerSecondPerAccount, requestsPerSecondPerConnection, auth, pruneJournal, markets, false);
    }

    /** The settings without indexes or option chains. */
    public NodeConfig(String dataDir, String httpHost, int httpPort, String durability, long snapshotEveryCommands,
                      int maxBodyBytes, boolean devMode, List<Asset> assets, List<Instrument> instruments,
                      int ordersPerSecondPerAccount, int requestsPerSecondPerConnection, Auth auth,
                      boolean pruneJournal) {
        this(dataDir, httpHost, httpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode, assets, instruments,
                ordersPerSecondPerAccount, requestsPerSecondPerConnection, auth, pruneJournal, Markets.NONE);
    }

    /**
     * An index fed by oracle reports: {@code id} (0..1023), {@code symbol}, {@code priceDecimals} (its prices'
     * decimals), {@code sources} (names, one per feed); optionally {@code optionMargin} (its options' margin
     * parameters), {@code sourceKeys} (per source, the Ed25519 public key of the feed that signs its reports for
     * {@code POST /v1/oracle}; null for a source not fed over the API) and {@code surfaceKey} (the key that signs
     * volatility surfaces for {@code POST /v1/surface}). A dev node also takes unsigned reports and surfaces on its
     * dev routes.
     *
     * <p>The index guards (docs/pricing.md, "Index guards"), each optional, default in brackets:
     * {@code maxMovePpmPerSecond} (5,000 = 0.5% a second; 0 turns the circuit breaker off), {@code maxDivergencePpm}
     * (100,000 = 10% from the average; 0 turns the divergence guard off), {@code divergenceWindowSeconds} (600) and
     * {@code holdOnDivergence} (true: hold a diverged index while its sources disagree; false: report only).
     */
    public record Index(int id, String symbol, int priceDecimals, List<String> sources, OptionMargin optionMargin,
                        List<String> sourceKeys, String surfaceKey, Long maxMovePpmPerSecond, Long maxDivergencePpm,
                        Long divergenceWindowSeconds, Boolean holdOnDivergence) {
        /** Longest divergence window accepted: one day. */
        public static final long MAX_DIVERGENCE_WINDOW_SECONDS = 86_400;

        /** An index whose options use the margin library's default parameters, fed only by the dev routes. */
        public Index(int id, String symbol, int priceDecimals, List<String> sources) {
            this(id, symbol, priceDecimals, sources, null, null, null);
        }

        /** An index with option margin parameters, fed only by the dev routes. */
        public Index(int id, String symbol, int priceDecimals, List<String> sources, OptionMargin optionMargin) {
            this(id, symbol, priceDecimals, sources, optionMargin, null, null);
        }

        /** An index with the default guards. */
        public Index(int id, String symbol, int priceDecimals, List<String> sources, OptionMargin optionMargin,
                     List<String> sourceKeys, String surfaceKey) {
            this(id, symbol, priceDecimals, sources, optionMargin, sourceKeys, surfaceKey, null, null, null, null);
        }

        /** The canonical constructor is the one Jackson uses; every field after {@code sources} may be left out. */
        @JsonCreator
        public Index {
        }

        /** The option margin parameters this index should have: the defaults with the configured overrides. */
        public OptionMarginSpec optionMarginSpec() {
            return optionMargin == null ? OptionMarginSpecs.defaults() : optionMargin.over(OptionMarginSpecs.defaults());
        }

        /** The feed key that may sign reports of this source ({@code POST /v1/oracle}), or null for none. */
        public AgentKey sourceKey(int source) {
            if (sourceKeys == null || source < 0 || source >= sourceKeys.size() || sourceKeys.get(source) == null) {
                return null;
            }
            Outcome<AgentKey> key = AgentKey.parseHex(sourceKeys.get(source));
            return key.isOk() ? key.value() : null;
        }

        /** The feed key that may publish this index's volatility surface ({@code POST /v1/surface}), or null. */
        public AgentKey surfaceFeedKey() {
            if (surfaceKey == null) {
                return null;
            }
            Outcome<AgentKey> key = AgentKey.parseHex(surfaceKey);
            return key.isOk() ? key.value() : null;
        }
    }

    /**
     * Option margin parameters of an index (risk.md, "Parameters (per underlying)"), journaled at start as
     * {@code SET_OPTION_MARGIN} whenever the engine's differ. Every field is optional and overrides the default of the
     * same name; {@code maxMovePpm} with {@code movesEachSide} builds an even grid of {@code 2 x movesEachSide + 1}
     * moves, as an alternative to listing {@code priceMovesPpm}.
     */
    public record OptionMargin(Long shortOptionRatePpm, Long shortOptionFloorPpm, Long futuresRatePpm,
                               Long standardMaintenancePpm, List<Long> priceMovesPpm, Long maxMovePpm,
                               Integer movesEachSide, List<OptionMarginSpec.Shock> volShocks, Long volFloorPpm,
                               Long volTermDays, Long volTermExponentPpm, Long shortOptionAddOnPpm,
                               Long concentrationThresholdMicros, Long concentrationAddOnPpm, Long deltaBoundMicros,
                               Long deltaAddOnPpm, Long portfolioMaintenancePpm) {
        /** These overrides applied to {@code d}; throws IllegalArgumentException for a grid that cannot be built. */
        OptionMarginSpec over(OptionMarginSpec d) {
            List<Long> moves = priceMovesPpm != null ? priceMovesPpm : d.priceMovesPpm();
            if (maxMovePpm != null || movesEachSide != null) {
                if (priceMovesPpm != null || maxMovePpm == null || movesEachSide == null) {
                    throw new IllegalArgumentException("give either priceMovesPpm or both maxMovePpm and movesEachSide");
                }
                moves = PortfolioMarginParams.evenMoves(maxMovePpm, movesEachSide);
            }
            return new OptionMarginSpec(or(shortOptionRatePpm, d.shortOptionRatePpm()),
                    or(shortOptionFloorPpm, d.shortOptionFloorPpm()), or(futuresRatePpm, d.futuresRatePpm()),
                    or(standardMaintenancePpm, d.standardMaintenancePpm()), moves,
                    volShocks != null ? volShocks : d.volShocks(), or(volFloorPpm, d.volFloorPpm()),
                    or(volTermDays, d.volTermDays()), or(volTermExponentPpm, d.volTermExponentPpm()),
                    or(shortOptionAddOnPpm, d.shortOptionAddOnPpm()),
                    or(concentrationThresholdMicros, d.concentrationThresholdMicros()),
                    or(concentrationAddOnPpm, d.concentrationAddOnPpm()), or(deltaBoundMicros, d.deltaBoundMicros()),
                    or(deltaAddOnPpm, d.deltaAddOnPpm()), or(portfolioMaintenancePpm, d.portfolioMaintenancePpm()));
        }
    }

    /**
     * An option chain (docs/options.md, "Instruments, chains and expiry"): every expiry x strike x call and put on
     * {@code index}, ids from {@code firstId}; {@code expiries} as ISO-8601 instants; strikes either {@code strikes}
     * (a list) or {@code reference}, {@code step} and {@code countEachSide}.
     */
    public record OptionChain(String underlying, int index, String settle, String tickSize, String lotSize,
                              String contractMultiplier, List<String> expiries, List<String> strikes, String reference,
                              String step, Integer countEachSide, int firstId) {
    }

    /** Indexes and option chains. */
    public record Markets(List<Index> indexes, List<OptionChain> optionChains) {
        public static final Markets NONE = new Markets(List.of(), List.of());
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

    /** The ADD_INSTRUMENT commands of every configured chain, in id order. */
    List<Command> optionCommands() {
        List<Command> commands = new ArrayList<>();
        for (OptionChain chain : markets.optionChains()) {
            commands.addAll(OptionChains.generate(chainConfig(chain)));
        }
        return commands;
    }

    /** Every tradable instrument: the perpetuals, then the option series of the chains. */
    public Map<Integer, InstrumentSpec> allSpecs() {
        Map<Integer, InstrumentSpec> specs = new LinkedHashMap<>();
        for (Instrument in : instruments) {
            specs.put(in.id(), spec(in));
        }
        for (Command c : optionCommands()) {
            specs.put(c.instrumentSpec.id(), c.instrumentSpec);
        }
        return specs;
    }

    private OptionChains.Config chainConfig(OptionChain chain) {
        int scale = assets.stream().filter(a -> a.symbol().equals(chain.settle())).findFirst().map(Asset::scale)
                .orElse(-1);
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

    /** The settings with the whole journal kept. */
    public NodeConfig(String dataDir, String httpHost, int httpPort, String durability, long snapshotEveryCommands,
                      int maxBodyBytes, boolean devMode, List<Asset> assets, List<Instrument> instruments,
                      int ordersPerSecondPerAccount, int requestsPerSecondPerConnection, Auth auth) {
        this(dataDir, httpHost, httpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode, assets, instruments,
                ordersPerSecondPerAccount, requestsPerSecondPerConnection, auth, false, Markets.NONE);
    }

    /** Snapshots every {@link #snapshotEveryCommands} commands (none for 0), the newest three kept; by a replica if set. */
    public SnapshotPolicy snapshotPolicy() {
        return snapshotEveryCommands == 0 ? SnapshotPolicy.NONE
                : new SnapshotPolicy(snapshotEveryCommands, SNAPSHOTS_KEPT, pruneJournal, snapshotReplica);
    }

    /** Snapshot files kept: a damaged newest one still leaves two to start from. */
    public static final int SNAPSHOTS_KEPT = 3;

    /** The settings without explicit rate limits or auth (the defaults below; auth open, as for tests and demos). */
    public NodeConfig(String dataDir, String httpHost, int httpPort, String durability, long snapshotEveryCommands,
                      int maxBodyBytes, boolean devMode, List<Asset> assets, List<Instrument> instruments) {
        this(dataDir, httpHost, httpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode, assets, instruments,
                DEFAULT_ORDERS_PER_SECOND_PER_ACCOUNT, DEFAULT_REQUESTS_PER_SECOND_PER_CONNECTION, Auth.open());
    }

    /** A copy with another data directory and port (the command line's overrides). */
    public NodeConfig withDataDirAndPort(String newDataDir, int newHttpPort) {
        return new NodeConfig(newDataDir, httpHost, newHttpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode,
                assets, instruments, ordersPerSecondPerAccount, requestsPerSecondPerConnection, auth, pruneJournal,
                markets, snapshotReplica, engine, fix);
    }

    /**
     * Request authorisation (docs/auth.md). In mode {@code signed} (the default in a file) every order, cancel, amend,
     * settings change, withdrawal and agent approval names an Ethereum address and carries its EIP-712 signature (the
     * owner's, or an approved agent key's), and requests by account id are refused (401): what a venue on the open
     * internet runs. In mode {@code open} requests by account id are accepted too, unauthenticated, for local
     * development, tests and the demo; signed requests are still verified. Signatures are made under the domain of
     * {@code chainId} and {@code verifyingContract} (defaults: the development domain, chain 31337).
     */
    public record Auth(String mode, long chainId, String verifyingContract) {
        public static final String SIGNED = "signed";
        public static final String OPEN = "open";

        /** Open mode under the development domain. */
        public static Auth open() {
            return new Auth(OPEN, MeridianTypes.DEV_CHAIN_ID, MeridianTypes.DEV_VERIFYING_CONTRACT);
        }

        /** Signed mode under the development domain. */
        public static Auth signed() {
            return new Auth(SIGNED, MeridianTypes.DEV_CHAIN_ID, MeridianTypes.DEV_VERIFYING_CONTRACT);
        }

        /** Whether requests by account id (unsigned) are refused. */
        public boolean signaturesRequired() {
            return SIGNED.equals(mode);
        }

        /** The EIP-712 domain requests are signed under (valid once {@link NodeConfig#validate()} passed). */
        public Eip712Domain domain() {
            return MeridianTypes.domain(chainId, Address.parseOrThrow(verifyingContract));
        }
    }

    /** Orders and cancels per account per second (burst: twice that). */
    public static final int DEFAULT_ORDERS_PER_SECOND_PER_ACCOUNT = 1_000;
    /** Requests per connection per second (burst: twice that). */
    public static final int DEFAULT_REQUESTS_PER_SECOND_PER_CONNECTION = 50_000;

    /** An asset: {@code id} (0..255), {@code symbol}, {@code scale} (decimals of its minor unit, 0..18). */
    public record Asset(int id, String symbol, int scale) {
    }

    /**
     * A perpetual: {@code id} (1..1023), {@code symbol}, {@code base}, {@code settle} (an asset symbol),
     * {@code tickSize} and {@code lotSize} (decimal strings), {@code markPrice} (decimal string, the starting mark),
     * {@code index} and {@code pricing} (priced from an index), {@code priceBandPpm} (a limit price, new or amended,
     * further than this from the mark is rejected; default {@link #DEFAULT_PRICE_BAND_PPM}, 0 turns the band off).
     */
    public record Instrument(int id, String symbol, String base, String settle, String tickSize, String lotSize,
                             String markPrice, Integer index, Pricing pricing, Long priceBandPpm) {
        /** A perpetual whose mark the operator sets ({@code POST /v1/dev/mark}); no funding; the default band. */
        public Instrument(int id, String symbol, String base, String settle, String tickSize, String lotSize,
                          String markPrice) {
            this(id, symbol, base, settle, tickSize, lotSize, markPrice, null, null, null);
        }

        /** A perpetual with the default price band. */
        public Instrument(int id, String symbol, String base, String settle, String tickSize, String lotSize,
                          String markPrice, Integer index, Pricing pricing) {
            this(id, symbol, base, settle, tickSize, lotSize, markPrice, index, pricing, null);
        }

        /**
         * The canonical constructor is the one Jackson uses; {@code index}, {@code pricing} and {@code priceBandPpm}
         * may be left out.
         */
        @JsonCreator
        public Instrument {
        }

        /** The same perpetual priced from index {@code indexId} with the default funding. */
        public Instrument pricedFrom(int indexId) {
            return new Instrument(id, symbol, base, settle, tickSize, lotSize, markPrice, indexId, pricing,
                    priceBandPpm);
        }

        /** The same perpetual with another price band (ppm; 0 = off). */
        public Instrument withPriceBandPpm(long ppm) {
            return new Instrument(id, symbol, base, settle, tickSize, lotSize, markPrice, index, pricing, ppm);
        }
    }

    /**
     * 5% (the {@link InstrumentSpec#perpetual} default): a limit price further than this from the mark is rejected.
     * Wide enough that quoting and hedging around a mark within 0.5% of the index is never refused, narrow enough that
     * the 20%-away bid of issue 15 is. Binance's USD-M futures have the same kind of rule (a PERCENT_PRICE filter around
     * the mark, multipliers per symbol in exchangeInfo). With the mark clamped to its band around the index
     * ({@link PricingSpec#markBandPpm}) an index-priced perpetual's band is in effect a band around the index.
     */
    public static final long DEFAULT_PRICE_BAND_PPM = 50_000L;

    /**
     * How an index-priced perpetual's mark and funding work ({@link PricingSpec}; docs/pricing.md); every field
     * optional, overriding the default: {@code markEmaWindowNanos} (150 s), {@code fundingIntervalNanos} (8 h; 0 for
     * none), {@code premiumSampleNanos} (60 s), {@code impactNotional} (a decimal in the settlement asset, 10,000),
     * {@code interestRate8h} and {@code fundingClamp8h} (units of 1e-9 per 8 hours, whatever the interval: 0.01% and
     * 0.05%), {@code maxFundingRate8h} (1e-9 per 8 hours; 0 = from the margin table) and {@code markBandPpm} (the
     * book basis and the last trade enter the mark clamped to this band around the index; 5,000 = 0.5%, at most
     * 100,000).
     */
    public record Pricing(Long markEmaWindowNanos, Long fundingIntervalNanos, Long premiumSampleNanos,
                          String impactNotional, Long interestRate8h, Long fundingClamp8h, Long maxFundingRate8h,
                          Long markBandPpm) {
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

    private static long or(Long value, long otherwise) {
        return value != null ? value : otherwise;
    }

    /** The settlement scale of an asset by symbol, or -1. */
    int scaleOf(String symbol) {
        return assets.stream().filter(a -> a.symbol().equals(symbol)).findFirst().map(Asset::scale).orElse(-1);
    }

    /** A config that could not be used; the message names the field. */
    public static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);

    /**
     * The demo venue: USDC, BTC-PERP and ETH-PERP, the index BTC-USD (dev oracle sources) and BTC options on it
     * ({@link #defaultMarkets}), dev mode on, data under {@code data/node}; its option expiries follow the clock now.
     */
    public static NodeConfig defaults() {
        return defaults(Instant.now());
    }

    /** The demo venue as of {@code now} (the option expiries are the ones after it). */
    public static NodeConfig defaults(Instant now) {
        return new NodeConfig("data/node", "127.0.0.1", 8080, "group_commit", 1_000_000, 65_536, true,
                List.of(new Asset(0, "USDC", 6)),
                List.of(new Instrument(1, "BTC-PERP", "BTC", "USDC", "0.1", "0.001", "50000").pricedFrom(DEFAULT_BTC_INDEX),
                        new Instrument(2, "ETH-PERP", "ETH", "USDC", "0.01", "0.01", "3000")),
                DEFAULT_ORDERS_PER_SECOND_PER_ACCOUNT, DEFAULT_REQUESTS_PER_SECOND_PER_CONNECTION, Auth.open(), false,
                defaultMarkets(now));
    }

    /** The demo venue's index of BTC ({@code POST /v1/dev/oracle} feeds its three sources). */
    public static final int DEFAULT_BTC_INDEX = 1;
    /** Strikes of the demo venue's BTC options: around BTC-PERP's starting mark of 50,000. */
    static final List<String> DEFAULT_STRIKES = List.of("40000", "45000", "50000", "55000", "60000");
    /** Expiries of the demo venue's BTC options listed at a time. */
    static final int DEFAULT_EXPIRIES = 3;

    /**
     * The demo venue's markets as of {@code now}: the index BTC-USD (2 decimals, sources feed-a, feed-b and feed-c) and
     * BTC options on it, USDC-settled (premium tick 0.5, lot 0.01 contracts of 1 BTC) at the strikes
     * {@link #DEFAULT_STRIKES}, calls and puts, for the next {@link #DEFAULT_EXPIRIES} monthly expiries (Deribit's: the
     * last Friday of the month, 08:00 UTC) at least a day after {@code now}.
     *
     * <p>A config holds absolute expiries, so a built-in venue must pick them from the clock, and a restart on the same
     * data directory must find the series it listed before unchanged (the journal has them; the node refuses a
     * configured series whose terms changed). Hence one chain per expiry, its ids taken from the expiry's calendar
     * month ({@code 100 + 10 x (month - 1)}, 100..219): a restart within the month lists exactly the same series; a
     * later one adds the new month's series under new ids beside the old ones, which have expired by then. The day's
     * margin keeps a series from expiring between the clock read here and its listing. The ids come round again after
     * a year, and three months are listed ahead: a journal last started about nine months or more before meets ids of
     * its own series under new expiries, and is refused at start with the reason.
     */
    public static Markets defaultMarkets(Instant now) {
        List<OptionChain> chains = new ArrayList<>();
        YearMonth month = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        while (chains.size() < DEFAULT_EXPIRIES) {
            LocalDate lastFriday = month.atEndOfMonth().with(TemporalAdjusters.previousOrSame(DayOfWeek.FRIDAY));
            Instant expiry = lastFriday.atTime(8, 0).toInstant(ZoneOffset.UTC);
            if (expiry.isAfter(now.plus(Duration.ofDays(1)))) {
                chains.add(new OptionChain("BTC", DEFAULT_BTC_INDEX, "USDC", "0.5", "0.01", "1", List.of(expiry.toString()),
                        DEFAULT_STRIKES, null, null, null, 100 + 2 * DEFAULT_STRIKES.size() * (month.getMonthValue() - 1)));
            }
            month = month.plusMonths(1);
        }
        return new Markets(List.of(new Index(DEFAULT_BTC_INDEX, "BTC-USD", 2, List.of("feed-a", "feed-b", "feed-c"))),
                chains);
    }

    /** Reads and validates a config file. */
    public static NodeConfig read(Path file) throws ConfigException {
        String json;
        try {
            json = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        return parse(json);
    }

    /** Parses and validates config JSON; fields left out take their defaults. */
    public static NodeConfig parse(String json) throws ConfigException {
        Raw raw;
        try {
            raw = MAPPER.readValue(json, Raw.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("unknown field '" + e.getPropertyName() + "' at " + path(e));
        } catch (JsonProcessingException e) {
            throw new ConfigException("invalid config: " + e.getOriginalMessage() + " at " + path(e));
        }
        if (raw == null) {
            throw new ConfigException("invalid config: empty");
        }
        NodeConfig d = defaults();
        NodeConfig config = new NodeConfig(
                raw.dataDir != null ? raw.dataDir : d.dataDir,
                raw.httpHost != null ? raw.httpHost : d.httpHost,
                raw.httpPort != null ? raw.httpPort : d.httpPort,
                raw.durability != null ? raw.durability : d.durability,
                raw.snapshotEveryCommands != null ? raw.snapshotEveryCommands : d.snapshotEveryCommands,
                raw.maxBodyBytes != null ? raw.maxBodyBytes : d.maxBodyBytes,
                // Dev deposits only when a file asks for them: the built-in demo venue is the one default that has them.
                raw.devMode != null ? raw.devMode : false,
                raw.assets != null ? raw.assets : d.assets,
                // A file has no indexes unless it lists them, so its default perpetuals keep operator marks.
                raw.instruments != null ? raw.instruments : d.operatorMarkedInstruments(),
                raw.ordersPerSecondPerAccount != null ? raw.ordersPerSecondPerAccount
                        : DEFAULT_ORDERS_PER_SECOND_PER_ACCOUNT,
                raw.requestsPerSecondPerConnection != null ? raw.requestsPerSecondPerConnection
                        : DEFAULT_REQUESTS_PER_SECOND_PER_CONNECTION,
                // Signed requests only, unless the file opens the node up: the safe default for a real deployment.
                raw.auth == null ? Auth.signed() : new Auth(raw.auth.mode != null ? raw.auth.mode : Auth.SIGNED,
                        raw.auth.chainId != null ? raw.auth.chainId : MeridianTypes.DEV_CHAIN_ID,
                        raw.auth.verifyingContract != null ? raw.auth.verifyingContract
                                : MeridianTypes.DEV_VERIFYING_CONTRACT),
                raw.pruneJournal != null && raw.pruneJournal,
                new Markets(raw.indexes != null ? raw.indexes : List.of(),
                        raw.optionChains != null ? raw.optionChains : List.of()),
                raw.snapshotReplica != null && raw.snapshotReplica, raw.engine,
                raw.fix == null ? null : new Fix(raw.fix.port != null ? raw.fix.port : -1,
                        raw.fix.senderCompId != null ? raw.fix.senderCompId : Fix.DEFAULT_SENDER_COMP_ID));
        config.validate();
        return config;
    }

    /**
     * The FIX section: a port (required; 0 picks a free one) other than the HTTP port, and a CompID of 1..64 printable
     * ASCII characters (it goes into every message's header).
     */
    private void validateFix() throws ConfigException {
        if (fix == null) {
            return;
        }
        if (fix.port() < 0 || fix.port() > 65_535) {
            throw new ConfigException("fix.port: required, 0..65535, was " + fix.port());
        }
        if (fix.port() != 0 && fix.port() == httpPort) {
            throw new ConfigException("fix.port: must differ from httpPort " + httpPort);
        }
        String id = fix.senderCompId();
        if (id == null || id.isEmpty() || id.length() > 64 || !id.chars().allMatch(ch -> ch > 32 && ch < 127)) {
            throw new ConfigException("fix.senderCompId: must be 1..64 printable ASCII characters without spaces, was '"
                    + id + "'");
        }
    }

    /** Checks every value; throws on the first problem. */
    public void validate() throws ConfigException {
        try {
            engineConfig();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException("engine: " + e.getMessage());
        }
        if (dataDir.isBlank()) {
            throw new ConfigException("dataDir: must not be empty");
        }
        if (httpPort < 0 || httpPort > 65_535) {
            throw new ConfigException("httpPort: must be 0..65535, was " + httpPort);
        }
        if (!durability.equals("group_commit") && !durability.equals("none")) {
            throw new ConfigException("durability: must be group_commit or none, was '" + durability + "'");
        }
        if (snapshotEveryCommands < 0) {
            throw new ConfigException("snapshotEveryCommands: must not be negative");
        }
        if (ordersPerSecondPerAccount < 1 || requestsPerSecondPerConnection < 1) {
            throw new ConfigException("ordersPerSecondPerAccount and requestsPerSecondPerConnection: must be positive");
        }
        if (auth == null || (!Auth.SIGNED.equals(auth.mode()) && !Auth.OPEN.equals(auth.mode()))) {
            throw new ConfigException("auth.mode: must be signed or open, was '" + (auth == null ? null : auth.mode())
                    + "'");
        }
        if (auth.chainId() <= 0) {
            throw new ConfigException("auth.chainId: must be positive, was " + auth.chainId());
        }
        if (!Address.parse(auth.verifyingContract()).isOk()) {
            throw new ConfigException("auth.verifyingContract: not an address: '" + auth.verifyingContract() + "'");
        }
        validateFix();
        if (maxBodyBytes < 256 || maxBodyBytes > (1 << 24)) {
            throw new ConfigException("maxBodyBytes: must be 256..16777216, was " + maxBodyBytes);
        }
        Set<String> assetSymbols = new HashSet<>();
        Set<Integer> assetIds = new HashSet<>();
        for (int i = 0; i < assets.size(); i++) {
            Asset a = assets.get(i);
            String at = "assets[" + i + "]";
            if (a == null || a.symbol() == null || a.symbol().isBlank()) {
                throw new ConfigException(at + ".symbol: required");
            }
            if (a.id() < 0 || a.id() > 255 || !assetIds.add(a.id())) {
                throw new ConfigException(at + ".id: must be a unique 0..255, was " + a.id());
            }
            if (!assetSymbols.add(a.symbol())) {
                throw new ConfigException(at + ".symbol: '" + a.symbol() + "' appears twice");
            }
            if (a.scale() < 0 || a.scale() > 18) {
                throw new ConfigException(at + ".scale: must be 0..18, was " + a.scale());
            }
        }
        validateMarkets(assetSymbols);
        if (instruments.isEmpty()) {
            throw new ConfigException("instruments: at least one is needed");
        }
        Set<Integer> ids = new HashSet<>();
        Set<String> symbols = new HashSet<>();
        for (int i = 0; i < instruments.size(); i++) {
            Instrument in = instruments.get(i);
            String at = "instruments[" + i + "]";
            if (in == null || in.symbol() == null || in.base() == null || in.settle() == null) {
                throw new ConfigException(at + ": symbol, base and settle are required");
            }
            if (in.id() < 1 || in.id() > 1023 || !ids.add(in.id())) {
                throw new ConfigException(at + ".id: must be a unique 1..1023, was " + in.id());
            }
            if (!symbols.add(in.symbol())) {
                throw new ConfigException(at + ".symbol: '" + in.symbol() + "' appears twice");
            }
            if (!assetSymbols.contains(in.settle())) {
                throw new ConfigException(at + ".settle: no asset '" + in.settle() + "'");
            }
            positiveDecimal(in.tickSize(), at + ".tickSize");
            positiveDecimal(in.lotSize(), at + ".lotSize");
            BigDecimal mark = positiveDecimal(in.markPrice(), at + ".markPrice");
            if (in.priceBandPpm() != null && (in.priceBandPpm() < 0 || in.priceBandPpm() > FixedPoint.PPM)) {
                throw new ConfigException(at + ".priceBandPpm: must be 0 (no band) to 1000000 (100%), was "
                        + in.priceBandPpm());
            }
            InstrumentSpec spec;
            try {
                spec = spec(in);
            } catch (RuntimeException e) {
                throw new ConfigException(at + ": " + e.getMessage());
            }
            RejectReason reason = spec.validate();
            if (reason != null) {
                throw new ConfigException(at + ": " + reason.message());
            }
            if (mark.remainder(new BigDecimal(in.tickSize())).signum() != 0) {
                throw new ConfigException(at + ".markPrice: " + in.markPrice() + " is not a multiple of the tick "
                        + in.tickSize());
            }
            if (in.index() != null) {
                Index index = markets.indexes().stream().filter(x -> x != null && x.id() == in.index()).findFirst()
                        .orElse(null);
                if (index == null) {
                    throw new ConfigException(at + ".index: no index " + in.index() + " in indexes");
                }
                // The engine's rule: a tick is a whole number (at least 1) of the index's price units, so that a mark
                // taken from the index converts to ticks exactly.
                BigDecimal units = new BigDecimal(in.tickSize()).scaleByPowerOfTen(index.priceDecimals())
                        .stripTrailingZeros();
                if (units.scale() > 0 || units.compareTo(BigDecimal.ONE) < 0) {
                    throw new ConfigException(at + ".tickSize: " + in.tickSize() + " must be a whole number of the index's"
                            + " price units (" + index.priceDecimals() + " decimals) to be priced from it");
                }
                PricingSpec pricing;
                try {
                    pricing = pricingSpec(in, scaleOf(in.settle()));
                } catch (IllegalArgumentException | ArithmeticException e) {
                    throw new ConfigException(at + "." + e.getMessage());
                }
                if (pricing.markBandPpm() < 1 || pricing.markBandPpm() > PricingSpec.MAX_MARK_BAND_PPM) {
                    throw new ConfigException(at + ".pricing.markBandPpm: must be 1 to " + PricingSpec.MAX_MARK_BAND_PPM
                            + " (10%), was " + pricing.markBandPpm());
                }
                if (pricing.validate() != null) {
                    throw new ConfigException(at + ".pricing: " + pricing.validate().message());
                }
            } else if (in.pricing() != null) {
                throw new ConfigException(at + ".pricing: only for a perpetual priced from an index (give index)");
            }
        }
    }

    /** The optional index guards, each with its field named. */
    private static void validateGuards(Index index, String at) throws ConfigException {
        Long move = index.maxMovePpmPerSecond();
        if (move != null && (move < 0 || move >= 1_000_000)) {
            throw new ConfigException(at + ".maxMovePpmPerSecond: must be 0 (off) .. 999999 ppm of the index per"
                    + " second: " + move);
        }
        Long divergence = index.maxDivergencePpm();
        if (divergence != null && (divergence < 0 || divergence >= 1_000_000)) {
            throw new ConfigException(at + ".maxDivergencePpm: must be 0 (off) .. 999999 ppm of the average: "
                    + divergence);
        }
        Long window = index.divergenceWindowSeconds();
        if (window != null && (window < 1 || window > Index.MAX_DIVERGENCE_WINDOW_SECONDS)) {
            throw new ConfigException(at + ".divergenceWindowSeconds: must be 1 .. "
                    + Index.MAX_DIVERGENCE_WINDOW_SECONDS + ": " + window);
        }
    }

    private void validateMarkets(Set<String> assetSymbols) throws ConfigException {
        Set<Integer> indexIds = new HashSet<>();
        for (int i = 0; i < markets.indexes().size(); i++) {
            Index index = markets.indexes().get(i);
            String at = "indexes[" + i + "]";
            if (index == null || index.symbol() == null || index.sources() == null || index.sources().isEmpty()) {
                throw new ConfigException(at + ": symbol and at least one source are required");
            }
            if (!indexIds.add(index.id())) {
                throw new ConfigException(at + ".id: " + index.id() + " appears twice");
            }
            validateGuards(index, at);
            RejectReason reason = indexSpec(index).validate();
            if (reason != null) {
                throw new ConfigException(at + ": " + reason.message());
            }
            if (index.sourceKeys() != null) {
                if (index.sourceKeys().size() != index.sources().size()) {
                    throw new ConfigException(at + ".sourceKeys: one per source (or null for a source not fed over"
                            + " the API): " + index.sourceKeys().size() + " for " + index.sources().size() + " sources");
                }
                for (int k = 0; k < index.sourceKeys().size(); k++) {
                    String key = index.sourceKeys().get(k);
                    if (key != null && !AgentKey.parseHex(key).isOk()) {
                        throw new ConfigException(at + ".sourceKeys[" + k + "]: not an Ed25519 public key (32 bytes"
                                + " of hex): " + AgentKey.parseHex(key).verdict().message());
                    }
                }
            }
            if (index.surfaceKey() != null && !AgentKey.parseHex(index.surfaceKey()).isOk()) {
                throw new ConfigException(at + ".surfaceKey: not an Ed25519 public key (32 bytes of hex): "
                        + AgentKey.parseHex(index.surfaceKey()).verdict().message());
            }
            if (index.optionMargin() != null) {
                Optional<String> problem;
                try {
                    problem = OptionMarginSpecs.problem(index.optionMarginSpec());
                } catch (RuntimeException e) {
                    problem = Optional.of(String.valueOf(e.getMessage()));
                }
                if (problem.isPresent()) {
                    throw new ConfigException(at + ".optionMargin: " + problem.get());
                }
            }
        }
        Set<Integer> ids = new HashSet<>();
        for (Instrument in : instruments) {
            if (in != null) {
                ids.add(in.id());
            }
        }
        for (int i = 0; i < markets.optionChains().size(); i++) {
            OptionChain chain = markets.optionChains().get(i);
            String at = "optionChains[" + i + "]";
            if (chain == null || chain.underlying() == null || chain.settle() == null || chain.expiries() == null
                    || chain.tickSize() == null || chain.lotSize() == null) {
                throw new ConfigException(at + ": underlying, settle, expiries, tickSize and lotSize are required");
            }
            if (!indexIds.contains(chain.index())) {
                throw new ConfigException(at + ".index: no index " + chain.index() + " in indexes");
            }
            if (!assetSymbols.contains(chain.settle())) {
                throw new ConfigException(at + ".settle: no asset '" + chain.settle() + "'");
            }
            List<Command> series;
            try {
                series = OptionChains.generate(chainConfig(chain));
            } catch (RuntimeException e) {
                throw new ConfigException(at + ": " + e.getMessage());
            }
            for (Command c : series) {
                RejectReason reason = c.instrumentSpec.validate();
                if (reason == null && c.optionSpec != null) {
                    reason = c.optionSpec.validate();
                }
                if (reason != null) {
                    throw new ConfigException(at + ": " + c.instrumentSpec.symbol() + ": " + reason.message());
                }
                if (!ids.add(c.instrumentSpec.id())) {
                    throw new ConfigException(at + ": instrument id " + c.instrumentSpec.id() + " (" + c.instrumentSpec.symbol()
                            + ") is already used");
                }
            }
        }
    }

    /**
     * The engine's spec of a configured perpetual: its price band as configured, {@link #DEFAULT_PRICE_BAND_PPM} when
     * not given (the book rejects orders priced beyond it from the mark, so a bid far above a healthy market cannot
     * rest there, let alone print).
     */
    static InstrumentSpec spec(Instrument in) {
        return InstrumentSpec.perpetual(in.id(), in.symbol(), in.base(), in.settle(), in.tickSize(), in.lotSize())
                .withPriceBandPpm(or(in.priceBandPpm(), DEFAULT_PRICE_BAND_PPM));
    }

    private static BigDecimal positiveDecimal(String text, String field) throws ConfigException {
        if (text == null) {
            throw new ConfigException(field + ": required");
        }
        try {
            BigDecimal value = new BigDecimal(text);
            if (value.signum() <= 0) {
                throw new ConfigException(field + ": must be positive, was " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(field + ": not a decimal number: '" + text + "'");
        }
    }

    private static String path(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
                } else {
                    sb.append('[').append(r.getIndex()).append(']');
                }
            }
            return sb.toString();
        }
        return e.getLocation() == null ? "?" : "line " + e.getLocation().getLineNr() + " column "
                + e.getLocation().getColumnNr();
    }

    /** The file's shape: every field optional (null = default). */
    private static final class Raw {
        public String dataDir;
        public String httpHost;
        public Integer httpPort;
        public String durability;
        public Long snapshotEveryCommands;
        public Integer maxBodyBytes;
        public Boolean devMode;
        public List<Asset> assets;
        public List<Instrument> instruments;
        public Integer ordersPerSecondPerAccount;
        public Integer requestsPerSecondPerConnection;
        public RawAuth auth;
        public Boolean pruneJournal;
        public Boolean snapshotReplica;
        public EngineSection engine;
        public List<Index> indexes;
        public List<OptionChain> optionChains;
        public RawFix fix;
    }

    private static final class RawFix {
        public Integer port;
        public String senderCompId;
    }

    private static final class RawAuth {
        public String mode;
        public Long chainId;
        public String verifyingContract;
    }
}
