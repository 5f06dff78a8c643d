package io.meridian.node;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.meridian.auth.Address;
import io.meridian.auth.AgentKey;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.MeridianTypes;
import io.meridian.node.access.AccessSettings;
import io.meridian.engine.OptionMarginSpecs;
import io.meridian.engine.EngineConfig;
import io.meridian.engine.LiquidationConfig;
import io.meridian.journal.SnapshotPolicy;
import io.meridian.model.Command;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionMarginSpec;
import io.meridian.model.PricingSpec;
import io.meridian.node.connection.ConnectionSettings;
import io.meridian.node.metrics.MetricsSettings;
import io.meridian.risk.margin.FeeTier;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.List;

/**
 * The node's settings, read from a JSON file (docs/operations.md has the fields with their defaults; config/examples/
 * has whole files). Unknown fields, wrong types and bad values are refused before anything starts, all of them at once,
 * each with its JSON path ({@link ConfigException#problems()}).
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
 * @param connections           the gateway's connection caps, timeouts, Host and CORS settings (the JSON section
 *                              {@code connections}; null for the defaults: {@link ConnectionSettings#DEFAULTS})
 * @param clusterMaxInFlight    on a cluster's gateway, the commands sent to the cluster and not yet applied beyond which
 *                              new ones are refused at once, unsent ({@code CLUSTER_BACKLOG}, 1004; default
 *                              {@value #DEFAULT_CLUSTER_MAX_IN_FLIGHT}): what bounds the gateway's memory while the
 *                              cluster is out of reach (docs/cluster.md); unused by a node with its own journal
 * @param governance            the venue's risk governance ({@link Governance}), journaled once as SET_GOVERNANCE when
 *                              the engine has none; null for none (the default: no admin can set risk bounds)
 * @param riskController        the volatility controller ({@link RiskController}), or null for none (the default)
 * @param chain                 the settlement loop on a chain ({@link ChainSettings}; docs/settlement.md, "The node's
 *                              settlement loop"), or null for none (the default: deposits by the dev route only)
 * @param metrics               who may read {@code GET /metrics} ({@link MetricsSettings}; null for the defaults:
 *                              served, to anyone in dev mode, else only with the bearer token, and without one to no
 *                              one)
 * @param binary                the binary (SBE) order entry (docs/binary-protocol.md), or null for none (the default)
 */
public record NodeConfig(String dataDir, String httpHost, int httpPort, String durability, long snapshotEveryCommands,
                         int maxBodyBytes, boolean devMode, List<Asset> assets, List<Instrument> instruments,
                         int ordersPerSecondPerAccount, int requestsPerSecondPerConnection, Auth auth,
                         boolean pruneJournal, Markets markets, boolean snapshotReplica, EngineSection engine, Fix fix,
                         ConnectionSettings connections, int clusterMaxInFlight, Governance governance,
                         RiskController riskController, ChainSettings chain, MetricsSettings metrics,
                         io.meridian.node.binary.BinarySettings binary) {
    /**
     * Commands a gateway keeps waiting for the cluster by default: several seconds of a gateway's order flow (a failover
     * takes about 1.3 s), a few tens of megabytes at most.
     */
    public static final int DEFAULT_CLUSTER_MAX_IN_FLIGHT = 65_536;
    /** The largest {@link #clusterMaxInFlight} accepted. */
    public static final int MAX_CLUSTER_MAX_IN_FLIGHT = 1 << 20;

    /** Null connection and metrics settings are the defaults. */
    public NodeConfig {
        connections = connections == null ? ConnectionSettings.DEFAULTS : connections;
        metrics = metrics == null ? MetricsSettings.defaults(devMode) : metrics;
    }

    /** A copy with a binary order-entry listener (docs/binary-protocol.md), or none for null. */
    public NodeConfig withBinary(io.meridian.node.binary.BinarySettings newBinary) {
        return new NodeConfig(dataDir, httpHost, httpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode,
                assets, instruments, ordersPerSecondPerAccount, requestsPerSecondPerConnection, auth, pruneJournal,
                markets, snapshotReplica, engine, fix, connections, clusterMaxInFlight, governance, riskController, chain,
                metrics, newBinary);
    }

    /** With the default metrics settings. */
    public NodeConfig(String dataDir, String httpHost, int httpPort, String durability, long snapshotEveryCommands,
                      int maxBodyBytes, boolean devMode, List<Asset> assets, List<Instrument> instruments,
                      int ordersPerSecondPerAccount, int requestsPerSecondPerConnection, Auth auth,
                      boolean pruneJournal, Markets markets, boolean snapshotReplica, EngineSection engine, Fix fix,
                      ConnectionSettings connections, int clusterMaxInFlight, Governance governance,
                      RiskController riskController, ChainSettings chain) {
        this(dataDir, httpHost, httpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode, assets, instruments,
                ordersPerSecondPerAccount, requestsPerSecondPerConnection, auth, pruneJournal, markets, snapshotReplica,
                engine, fix, connections, clusterMaxInFlight, governance, riskController, chain, null, null);
    }

    /** A copy with other metrics settings (null: the defaults). */
    public NodeConfig withMetrics(MetricsSettings newMetrics) {
        return new NodeConfig(dataDir, httpHost, httpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode,
                assets, instruments, ordersPerSecondPerAccount, requestsPerSecondPerConnection, auth, pruneJournal,
                markets, snapshotReplica, engine, fix, connections, clusterMaxInFlight, governance, riskController, chain,
                newMetrics, binary);
    }

    /** Without governance or a volatility controller. */
    public NodeConfig(String dataDir, String httpHost, int httpPort, String durability, long snapshotEveryCommands,
                      int maxBodyBytes, boolean devMode, List<Asset> assets, List<Instrument> instruments,
                      int ordersPerSecondPerAccount, int requestsPerSecondPerConnection, Auth auth,
                      boolean pruneJournal, Markets markets, boolean snapshotReplica, EngineSection engine, Fix fix,
                      ConnectionSettings connections, int clusterMaxInFlight) {
        this(dataDir, httpHost, httpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode, assets, instruments,
                ordersPerSecondPerAccount, requestsPerSecondPerConnection, auth, pruneJournal, markets, snapshotReplica,
                engine, fix, connections, clusterMaxInFlight, null, null, null);
    }

    /** A copy with other risk governance and volatility controller settings (null: none). */
    public NodeConfig withGovernance(Governance newGovernance, RiskController newRiskController) {
        return new NodeConfig(dataDir, httpHost, httpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode,
                assets, instruments, ordersPerSecondPerAccount, requestsPerSecondPerConnection, auth, pruneJournal,
                markets, snapshotReplica, engine, fix, connections, clusterMaxInFlight, newGovernance,
                newRiskController, chain, metrics, binary);
    }

    /** A copy with another settlement loop on a chain (null: none). */
    public NodeConfig withChain(ChainSettings newChain) {
        return new NodeConfig(dataDir, httpHost, httpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode,
                assets, instruments, ordersPerSecondPerAccount, requestsPerSecondPerConnection, auth, pruneJournal,
                markets, snapshotReplica, engine, fix, connections, clusterMaxInFlight, governance, riskController,
                newChain, metrics, binary);
    }

    /**
     * The venue's risk governance (docs/operations.md, "Risk governance"): the admins' Ethereum addresses (1..16,
     * distinct), how many must approve a proposal of risk bounds ({@code threshold}, 1..admins) and how long an
     * approved proposal waits before it takes effect ({@code timelockMillis}, 0..30 days). Journaled once, at the first
     * start that has it, as SET_GOVERNANCE: from then on it lives in the journal, and a config that names another is
     * refused at start (changing governance is not supported yet).
     */
    public record Governance(List<String> admins, Integer threshold, Long timelockMillis) {
        /** The engine's spec of these settings (valid once {@link NodeConfig#validate()} passed). */
        public io.meridian.model.GovernanceSpec spec() {
            return new io.meridian.model.GovernanceSpec(admins == null ? null : admins.stream()
                    .map(a -> a == null ? null : a.toLowerCase(java.util.Locale.ROOT)).toList(),
                    threshold == null ? 0 : threshold,
                    timelockMillis == null ? -1 : timelockMillis);
        }
    }

    /**
     * The volatility controller (docs/operations.md, "The volatility controller"): when {@code enabled}, every
     * {@code intervalMillis} (default 10,000) the node evaluates {@link io.meridian.engine.VolatilityRiskPolicy} for
     * each model-margined instrument with governance bounds and submits the SET_RISK_SCALE it asks for.
     * {@code referenceVolatility} (a decimal fraction, default "0.6": the annualised volatility at which the multiplier
     * is 1), {@code step} (a decimal multiple, default "0.05") and {@code minimumLeadMillis} (default 60,000) are the
     * policy's parameters.
     */
    public record RiskController(Boolean enabled, String referenceVolatility, String step, Long minimumLeadMillis,
                                 Long intervalMillis) {
        public static final String DEFAULT_REFERENCE_VOLATILITY = "0.6";
        public static final String DEFAULT_STEP = "0.05";
        public static final long DEFAULT_MINIMUM_LEAD_MILLIS = 60_000;
        public static final long DEFAULT_INTERVAL_MILLIS = 10_000;

        /** Whether the controller runs. */
        public boolean on() {
            return Boolean.TRUE.equals(enabled);
        }

        /** The policy these settings make (valid once {@link NodeConfig#validate()} passed). */
        public io.meridian.engine.VolatilityRiskPolicy policy() {
            return NodeConfigSpecs.riskPolicy(this);
        }

        /** How often the controller looks, milliseconds. */
        public long interval() {
            return intervalMillis == null ? DEFAULT_INTERVAL_MILLIS : intervalMillis;
        }
    }

    /** With the default bound on a gateway's commands waiting for the cluster. */
    public NodeConfig(String dataDir, String httpHost, int httpPort, String durability, long snapshotEveryCommands,
                      int maxBodyBytes, boolean devMode, List<Asset> assets, List<Instrument> instruments,
                      int ordersPerSecondPerAccount, int requestsPerSecondPerConnection, Auth auth,
                      boolean pruneJournal, Markets markets, boolean snapshotReplica, EngineSection engine, Fix fix,
                      ConnectionSettings connections) {
        this(dataDir, httpHost, httpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode, assets, instruments,
                ordersPerSecondPerAccount, requestsPerSecondPerConnection, auth, pruneJournal, markets, snapshotReplica,
                engine, fix, connections, DEFAULT_CLUSTER_MAX_IN_FLIGHT);
    }

    /** A copy with another bound on a gateway's commands waiting for the cluster. */
    public NodeConfig withClusterMaxInFlight(int commands) {
        return new NodeConfig(dataDir, httpHost, httpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode,
                assets, instruments, ordersPerSecondPerAccount, requestsPerSecondPerConnection, auth, pruneJournal,
                markets, snapshotReplica, engine, fix, connections, commands, governance, riskController, chain,
                metrics, binary);
    }

    /** With the default connection settings. */
    public NodeConfig(String dataDir, String httpHost, int httpPort, String durability, long snapshotEveryCommands,
                      int maxBodyBytes, boolean devMode, List<Asset> assets, List<Instrument> instruments,
                      int ordersPerSecondPerAccount, int requestsPerSecondPerConnection, Auth auth,
                      boolean pruneJournal, Markets markets, boolean snapshotReplica, EngineSection engine, Fix fix) {
        this(dataDir, httpHost, httpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode, assets, instruments,
                ordersPerSecondPerAccount, requestsPerSecondPerConnection, auth, pruneJournal, markets, snapshotReplica,
                engine, fix, null);
    }

    /** A copy with other connection settings (null: the defaults). */
    public NodeConfig withConnections(ConnectionSettings newConnections) {
        return new NodeConfig(dataDir, httpHost, httpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode,
                assets, instruments, ordersPerSecondPerAccount, requestsPerSecondPerConnection, auth, pruneJournal,
                markets, snapshotReplica, engine, fix, newConnections, clusterMaxInFlight, governance, riskController, chain,
                metrics, binary);
    }

    /** The settings without a FIX acceptor. */
    public NodeConfig(String dataDir, String httpHost, int httpPort, String durability, long snapshotEveryCommands,
                      int maxBodyBytes, boolean devMode, List<Asset> assets, List<Instrument> instruments,
                      int ordersPerSecondPerAccount, int requestsPerSecondPerConnection, Auth auth,
                      boolean pruneJournal, Markets markets, boolean snapshotReplica, EngineSection engine) {
        this(dataDir, httpHost, httpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode, assets, instruments,
                ordersPerSecondPerAccount, requestsPerSecondPerConnection, auth, pruneJournal, markets, snapshotReplica,
                engine, null);
    }

    /** The FIX 4.4 acceptor (docs/api.md, "FIX 4.4") on {@code httpHost}:{@code port} as {@code senderCompId}. */
    public record Fix(int port, String senderCompId) {
        /** The acceptor's CompID when the config names none. */
        public static final String DEFAULT_SENDER_COMP_ID = "MERIDIAN";
    }

    /** A copy with a FIX acceptor (or none, for null). */
    public NodeConfig withFix(Fix newFix) {
        return new NodeConfig(dataDir, httpHost, httpPort, durability, snapshotEveryCommands, maxBodyBytes, devMode,
                assets, instruments, ordersPerSecondPerAccount, requestsPerSecondPerConnection, auth, pruneJournal,
                markets, snapshotReplica, engine, newFix, connections, clusterMaxInFlight, governance, riskController, chain,
                metrics, binary);
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
        return NodeConfigSpecs.engineConfig(engine);
    }

    /**
     * The perpetuals with their marks set by the operator instead of an index: for a config that keeps these
     * instruments but not the indexes they are priced from (tests, tools).
     */
    public List<Instrument> operatorMarkedInstruments() {
        return NodeConfigSpecs.operatorMarked(instruments);
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
            boolean none = sourceKeys == null || source < 0 || source >= sourceKeys.size();
            return none ? null : NodeConfigSpecs.feedKey(sourceKeys.get(source));
        }

        /** The feed key that may publish this index's volatility surface ({@code POST /v1/surface}), or null. */
        public AgentKey surfaceFeedKey() {
            return NodeConfigSpecs.feedKey(surfaceKey);
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
            return NodeConfigSpecs.optionMargin(this, d);
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

    /** The engine's index spec of a configured index (the library's defaults with the configured guards). */
    static IndexSpec indexSpec(Index index) {
        return NodeConfigSpecs.indexSpec(index);
    }

    /** The ADD_INSTRUMENT commands of every configured chain, in id order. */
    List<Command> optionCommands() {
        return NodeConfigSpecs.optionCommands(this);
    }

    /** Every tradable instrument: the perpetuals, then the option series of the chains. */
    public Map<Integer, InstrumentSpec> allSpecs() {
        return NodeConfigSpecs.allSpecs(this);
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
                markets, snapshotReplica, engine, fix, connections, clusterMaxInFlight, governance, riskController, chain,
                metrics, binary);
    }

    /**
     * Request authorisation (docs/auth.md). In mode {@code signed} (the default in a file) every order, cancel, amend,
     * settings change, withdrawal and agent approval names an Ethereum address and carries its EIP-712 signature (the
     * owner's, or an approved agent key's), and requests by account id are refused (401): what a venue on the open
     * internet runs. In mode {@code open} requests by account id are accepted too, unauthenticated, for local
     * development, tests and the demo; signed requests are still verified. Signatures are made under the domain of
     * {@code chainId} and {@code verifyingContract} (defaults: the development domain, chain 31337). Limits: see
     * {@link AccessSettings}.
     */
    public record Auth(String mode, long chainId, String verifyingContract, double signatureChecksPerSecond,
                       long maxReadTokenSeconds) {
        public static final String SIGNED = "signed";
        public static final String OPEN = "open";
        /** With the default access limits. */
        public Auth(String mode, long chainId, String verifyingContract) {
            this(mode, chainId, verifyingContract, AccessSettings.DEFAULTS.signatureChecksPerSecond(),
                    AccessSettings.DEFAULTS.maxReadTokenMillis() / 1000);
        }

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

    /** The pricing spec of a configured perpetual: null when the operator sets its mark (see NodeConfigSpecs). */
    static PricingSpec pricingSpec(Instrument in, int settlementScale) {
        return NodeConfigSpecs.pricingSpec(in, settlementScale);
    }

    /** The engine's spec of a configured perpetual, with its price band or {@link #DEFAULT_PRICE_BAND_PPM}. */
    static InstrumentSpec spec(Instrument in) {
        return NodeConfigSpecs.spec(in);
    }

    /** The settlement scale of an asset by symbol, or -1. */
    int scaleOf(String symbol) {
        return assets.stream().filter(a -> a.symbol().equals(symbol)).findFirst().map(Asset::scale).orElse(-1);
    }

    /**
     * One mistake in a config: where it is, as a JSON path from the file's root ({@code instruments[0].tickSize};
     * empty when the mistake is not one field's), and what is wrong.
     */
    public record Problem(String path, String message) {
        /** A problem from a message that starts with its path ({@code "httpPort: must be ..."}), as checks word them. */
        public static Problem of(String text) {
            int colon = text.indexOf(": ");
            if (colon > 0 && text.substring(0, colon).matches("[A-Za-z_][A-Za-z0-9_]*(\\[\\d+]|\\.[A-Za-z0-9_x-]+)*")) {
                return new Problem(text.substring(0, colon), text.substring(colon + 2));
            }
            return new Problem("", text);
        }

        /** Whether this problem is at {@code other}'s path or inside it. */
        boolean within(String other) {
            return !other.isEmpty() && (path.equals(other) || path.startsWith(other + ".") || path.startsWith(other + "["));
        }

        @Override
        public String toString() {
            return path.isEmpty() ? message : path + ": " + message;
        }
    }

    /**
     * A config that could not be used: every problem found, each with its JSON path ({@link #problems()}). The message
     * is the one problem, or {@code "N problems in the config:"} and one indented line per problem.
     */
    public static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient List<Problem> problems;

        /** One problem, its message starting with its path (as {@link Problem#of}). */
        public ConfigException(String message) {
            this(List.of(Problem.of(message)));
        }

        /** Every problem found (at least one). */
        public ConfigException(List<Problem> problems) {
            super(message(problems));
            this.problems = List.copyOf(problems);
        }

        /** The problems, in the order they were found: those in the file's shape, then those in its values. */
        public List<Problem> problems() {
            return problems;
        }

        private static String message(List<Problem> problems) {
            if (problems.size() == 1) {
                return problems.get(0).toString();
            }
            StringBuilder text = new StringBuilder(problems.size() + " problems in the config:");
            for (Problem p : problems) {
                text.append(System.lineSeparator()).append("  ").append(p);
            }
            return text.toString();
        }
    }

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
     * The demo venue's markets as of {@code now}: the index BTC-USD and BTC options on it for the next
     * {@link #DEFAULT_EXPIRIES} monthly expiries ({@link DemoVenue#markets} says how their ids survive restarts).
     */
    public static Markets defaultMarkets(Instant now) {
        return DemoVenue.markets(now);
    }

    /** Reads and validates a config file. */
    public static NodeConfig read(Path file) throws ConfigException {
        return NodeConfigFile.read(file);
    }

    /** Parses and validates config JSON; fields left out take their defaults. */
    public static NodeConfig parse(String json) throws ConfigException {
        return NodeConfigFile.parse(json);
    }

    /** Checks every value; throws with every problem found, each naming its field. */
    public void validate() throws ConfigException {
        NodeConfigChecks.validate(this);
    }
}
