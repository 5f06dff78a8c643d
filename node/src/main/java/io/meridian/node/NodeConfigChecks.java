package io.meridian.node;

import io.meridian.auth.Address;
import io.meridian.auth.AgentKey;
import io.meridian.auth.MeridianTypes;
import io.meridian.engine.OptionMarginSpecs;
import io.meridian.model.Command;
import io.meridian.model.FixedPoint;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionChains;
import io.meridian.model.PricingSpec;
import io.meridian.model.RejectReason;
import io.meridian.node.NodeConfig.Asset;
import io.meridian.node.NodeConfig.Auth;
import io.meridian.node.NodeConfig.ConfigException;
import io.meridian.node.NodeConfig.Index;
import io.meridian.node.NodeConfig.Instrument;
import io.meridian.node.NodeConfig.OptionChain;
import io.meridian.node.NodeConfig.Problem;
import io.meridian.node.metrics.MetricsSettings;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of {@link NodeConfig#validate()}: every value, each refusal naming its field by its JSON path. Every check
 * runs and adds what it finds to one list, so a config with several mistakes is refused once, with all of them; a
 * check whose value depends on a field already found wrong is skipped rather than reported twice. Split out of
 * NodeConfig so that the settings and their checks each stay readable; stateless.
 */
final class NodeConfigChecks {
    private NodeConfigChecks() {
    }

    /** Checks every value of {@code config}; throws with every problem found. */
    static void validate(NodeConfig config) throws ConfigException {
        List<Problem> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** Every problem of {@code config}, in the order of the file's sections; empty when it is valid. */
    static List<Problem> problems(NodeConfig config) {
        List<Problem> problems = new ArrayList<>();
        try {
            config.engineConfig();
        } catch (IllegalArgumentException | NullPointerException e) {
            add(problems, "engine: " + e.getMessage());
        }
        if (config.dataDir() == null || config.dataDir().isBlank()) {
            add(problems, "dataDir: must not be empty");
        }
        if (config.httpPort() < 0 || config.httpPort() > 65_535) {
            add(problems, "httpPort: must be 0..65535, was " + config.httpPort());
        }
        if (!"group_commit".equals(config.durability()) && !"none".equals(config.durability())) {
            add(problems, "durability: must be group_commit or none, was '" + config.durability() + "'");
        }
        if (config.snapshotEveryCommands() < 0) {
            add(problems, "snapshotEveryCommands: must not be negative");
        }
        if (config.ordersPerSecondPerAccount() < 1) {
            add(problems, "ordersPerSecondPerAccount: must be positive, was " + config.ordersPerSecondPerAccount());
        }
        if (config.requestsPerSecondPerConnection() < 1) {
            add(problems, "requestsPerSecondPerConnection: must be positive, was "
                    + config.requestsPerSecondPerConnection());
        }
        boolean authValid = validateAuth(config.auth(), problems);
        validateFix(config, problems);
        if (config.binary() != null) {
            config.binary().problems(config.httpPort(), config.fix() == null ? -1 : config.fix().port())
                    .forEach(problem -> add(problems, problem));
        }
        validateGovernance(config.governance(), problems);
        validateRiskController(config.riskController(), problems);
        if (config.chain() != null) {
            Set<Integer> assetIds = new HashSet<>();
            config.assets().forEach(a -> assetIds.add(a == null ? -1 : a.id()));
            try {
                config.chain().validate(assetIds);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        config.connections().problems(config.httpHost(), config.devMode()).forEach(text -> add(problems, text));
        if (config.clusterMaxInFlight() < 1 || config.clusterMaxInFlight() > NodeConfig.MAX_CLUSTER_MAX_IN_FLIGHT) {
            add(problems, "clusterMaxInFlight: must be 1.." + NodeConfig.MAX_CLUSTER_MAX_IN_FLIGHT + ", was "
                    + config.clusterMaxInFlight());
        }
        String token = config.metrics().token();
        if (token != null && (token.length() < MetricsSettings.MIN_TOKEN_LENGTH
                || !token.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f))) {
            add(problems, "metrics.token: must be at least " + MetricsSettings.MIN_TOKEN_LENGTH + " printable ASCII"
                    + " characters without spaces");
        }
        if (config.maxBodyBytes() < 256 || config.maxBodyBytes() > (1 << 24)) {
            add(problems, "maxBodyBytes: must be 256..16777216, was " + config.maxBodyBytes());
        }
        Set<String> assetSymbols = validateAssets(config, problems);
        validateMarkets(config, assetSymbols, problems);
        validateInstruments(config, assetSymbols, problems);
        if (authValid) {
            validateDomain(config, problems);
        }
        return problems;
    }

    private static void add(List<Problem> problems, String text) {
        problems.add(Problem.of(text));
    }

    /** The assets: each with a unique id of 0..255, a unique symbol and a scale of 0..18; returns their symbols. */
    private static Set<String> validateAssets(NodeConfig config, List<Problem> problems) {
        Set<String> assetSymbols = new HashSet<>();
        Set<Integer> assetIds = new HashSet<>();
        for (int i = 0; i < config.assets().size(); i++) {
            Asset a = config.assets().get(i);
            String at = "assets[" + i + "]";
            if (a == null || a.symbol() == null || a.symbol().isBlank()) {
                add(problems, at + ".symbol: required");
                continue;
            }
            if (a.id() < 0 || a.id() > 255 || !assetIds.add(a.id())) {
                add(problems, at + ".id: must be a unique 0..255, was " + a.id());
            }
            if (!assetSymbols.add(a.symbol())) {
                add(problems, at + ".symbol: '" + a.symbol() + "' appears twice");
            }
            if (a.scale() < 0 || a.scale() > 18) {
                add(problems, at + ".scale: must be 0..18, was " + a.scale());
            }
        }
        return assetSymbols;
    }

    /** The perpetuals: each checked as far as its earlier mistakes allow, then the next one. */
    private static void validateInstruments(NodeConfig config, Set<String> assetSymbols, List<Problem> problems) {
        if (config.instruments().isEmpty()) {
            add(problems, "instruments: at least one is needed");
        }
        Set<Integer> ids = new HashSet<>();
        Set<String> symbols = new HashSet<>();
        for (int i = 0; i < config.instruments().size(); i++) {
            validateInstrument(config, config.instruments().get(i), "instruments[" + i + "]", assetSymbols, ids,
                    symbols, problems);
        }
    }

    private static void validateInstrument(NodeConfig config, Instrument in, String at, Set<String> assetSymbols,
                                           Set<Integer> ids, Set<String> symbols, List<Problem> problems) {
        if (in == null || in.symbol() == null || in.base() == null || in.settle() == null) {
            add(problems, at + ": symbol, base and settle are required");
            return;
        }
        int before = problems.size();
        if (in.id() < 1 || in.id() > 1023 || !ids.add(in.id())) {
            add(problems, at + ".id: must be a unique 1..1023, was " + in.id());
        }
        if (!symbols.add(in.symbol())) {
            add(problems, at + ".symbol: '" + in.symbol() + "' appears twice");
        }
        if (!assetSymbols.contains(in.settle())) {
            add(problems, at + ".settle: no asset '" + in.settle() + "'");
        }
        BigDecimal tick = positiveDecimal(in.tickSize(), at + ".tickSize", problems);
        BigDecimal lot = positiveDecimal(in.lotSize(), at + ".lotSize", problems);
        BigDecimal mark = positiveDecimal(in.markPrice(), at + ".markPrice", problems);
        if (in.priceBandPpm() != null && (in.priceBandPpm() < 0 || in.priceBandPpm() > FixedPoint.PPM)) {
            add(problems, at + ".priceBandPpm: must be 0 (no band) to 1000000 (100%), was " + in.priceBandPpm());
        }
        if (tick == null || lot == null || mark == null || problems.size() > before) {
            return;
        }
        InstrumentSpec spec;
        try {
            spec = NodeConfigSpecs.spec(in);
        } catch (RuntimeException e) {
            add(problems, at + ": " + e.getMessage());
            return;
        }
        RejectReason reason = spec.validate();
        if (reason != null) {
            add(problems, at + ": " + reason.message());
            return;
        }
        if (mark.remainder(tick).signum() != 0) {
            add(problems, at + ".markPrice: " + in.markPrice() + " is not a multiple of the tick " + in.tickSize());
        }
        if (in.index() == null) {
            if (in.pricing() != null) {
                add(problems, at + ".pricing: only for a perpetual priced from an index (give index)");
            }
            return;
        }
        Index index = config.markets().indexes().stream().filter(x -> x != null && x.id() == in.index()).findFirst()
                .orElse(null);
        if (index == null) {
            add(problems, at + ".index: no index " + in.index() + " in indexes");
            return;
        }
        // The engine's rule: a tick is a whole number (at least 1) of the index's price units, so that a mark taken
        // from the index converts to ticks exactly.
        BigDecimal units = tick.scaleByPowerOfTen(index.priceDecimals()).stripTrailingZeros();
        if (units.scale() > 0 || units.compareTo(BigDecimal.ONE) < 0) {
            add(problems, at + ".tickSize: " + in.tickSize() + " must be a whole number of the index's price units ("
                    + index.priceDecimals() + " decimals) to be priced from it");
            return;
        }
        PricingSpec pricing;
        try {
            pricing = NodeConfigSpecs.pricingSpec(in, config.scaleOf(in.settle()));
        } catch (IllegalArgumentException | ArithmeticException e) {
            add(problems, at + "." + e.getMessage());
            return;
        }
        if (pricing.markBandPpm() < 1 || pricing.markBandPpm() > PricingSpec.MAX_MARK_BAND_PPM) {
            add(problems, at + ".pricing.markBandPpm: must be 1 to " + PricingSpec.MAX_MARK_BAND_PPM + " (10%), was "
                    + pricing.markBandPpm());
        } else if (pricing.validate() != null) {
            add(problems, at + ".pricing: " + pricing.validate().message());
        }
    }

    /**
     * The FIX section: a port (required; 0 picks a free one) other than the HTTP port, and a CompID of 1..64 printable
     * ASCII characters (it goes into every message's header).
     */
    private static void validateFix(NodeConfig config, List<Problem> problems) {
        if (config.fix() == null) {
            return;
        }
        if (config.fix().port() < 0 || config.fix().port() > 65_535) {
            add(problems, "fix.port: required, 0..65535, was " + config.fix().port());
        } else if (config.fix().port() != 0 && config.fix().port() == config.httpPort()) {
            add(problems, "fix.port: must differ from httpPort " + config.httpPort());
        }
        String id = config.fix().senderCompId();
        if (id == null || id.isEmpty() || id.length() > 64 || !id.chars().allMatch(ch -> ch > 32 && ch < 127)) {
            add(problems, "fix.senderCompId: must be 1..64 printable ASCII characters without spaces, was '" + id + "'");
        }
    }

    /**
     * The governance section: 1..16 distinct admin addresses (each a {@code 0x} address; the checksum, when mixed case,
     * must be right), a threshold of 1..admins and a timelock of 0..30 days, both required.
     */
    private static void validateGovernance(NodeConfig.Governance governance, List<Problem> problems) {
        if (governance == null) {
            return;
        }
        int before = problems.size();
        if (governance.admins() == null || governance.admins().isEmpty()
                || governance.admins().size() > io.meridian.model.GovernanceSpec.MAX_ADMINS) {
            add(problems, "governance.admins: 1.." + io.meridian.model.GovernanceSpec.MAX_ADMINS
                    + " admin addresses are required");
        } else {
            for (int i = 0; i < governance.admins().size(); i++) {
                String admin = governance.admins().get(i);
                var parsed = Address.parse(admin);
                if (admin == null || !parsed.isOk()) {
                    add(problems, "governance.admins[" + i + "]: not an address: '" + admin + "'"
                            + (admin == null ? "" : " (" + parsed.verdict().message() + ")"));
                }
            }
        }
        if (governance.threshold() == null) {
            add(problems, "governance.threshold: required (how many admins must approve a proposal)");
        }
        if (governance.timelockMillis() == null) {
            add(problems, "governance.timelockMillis: required (how long an approved proposal waits)");
        }
        if (problems.size() > before) {
            return;
        }
        String problem = governance.spec().problem();
        if (problem != null) {
            add(problems, "governance: " + problem + " (admins " + governance.admins().size() + ", threshold "
                    + governance.threshold() + ", timelockMillis " + governance.timelockMillis() + ")");
        }
    }

    /** The volatility controller: its policy's parameters and an interval of 100 ms .. 1 h. */
    private static void validateRiskController(NodeConfig.RiskController controller, List<Problem> problems) {
        if (controller == null) {
            return;
        }
        try {
            controller.policy();
        } catch (IllegalArgumentException e) {
            add(problems, e.getMessage());
        }
        if (controller.interval() < 100 || controller.interval() > 3_600_000) {
            add(problems, "riskController.intervalMillis: must be 100..3600000 (an hour), was " + controller.interval());
        }
    }

    /**
     * The auth section: a mode, and a domain of a positive chain id and a contract address; returns whether the domain
     * is usable (for {@link #validateDomain}).
     */
    private static boolean validateAuth(Auth auth, List<Problem> problems) {
        if (auth == null) {
            add(problems, "auth.mode: must be signed or open, was 'null'");
            return false;
        }
        if (!Auth.SIGNED.equals(auth.mode()) && !Auth.OPEN.equals(auth.mode())) {
            add(problems, "auth.mode: must be signed or open, was '" + auth.mode() + "'");
        }
        boolean domain = true;
        if (auth.chainId() <= 0) {
            add(problems, "auth.chainId: must be positive, was " + auth.chainId());
            domain = false;
        }
        if (!Address.parse(auth.verifyingContract()).isOk()) {
            add(problems, "auth.verifyingContract: not an address: '" + auth.verifyingContract() + "'");
            domain = false;
        }
        if (!(auth.signatureChecksPerSecond() >= 1) || auth.signatureChecksPerSecond() > 1_000_000) {
            add(problems, "auth.signatureChecksPerSecond: must be 1..1000000, was " + auth.signatureChecksPerSecond());
        }
        if (auth.maxReadTokenSeconds() < 1 || auth.maxReadTokenSeconds() > 7 * 24 * 3600) {
            add(problems, "auth.maxReadTokenSeconds: must be 1..604800 (a week), was " + auth.maxReadTokenSeconds());
        }
        return domain;
    }

    /**
     * Outside dev mode, the EIP-712 domain must be the venue's own. The development domain (chain 31337, contract
     * 0x...dEaD) is what a config left without {@code auth.chainId} and {@code auth.verifyingContract} used to get
     * silently: signatures made for any other development node, or test vectors, would verify here too. Last of the
     * checks, so that every other mistake is listed first.
     */
    private static void validateDomain(NodeConfig config, List<Problem> problems) {
        if (config.devMode()) {
            return;
        }
        boolean devChain = config.auth().chainId() == MeridianTypes.DEV_CHAIN_ID;
        boolean devContract = Address.parseOrThrow(config.auth().verifyingContract())
                .equals(Address.parseOrThrow(MeridianTypes.DEV_VERIFYING_CONTRACT));
        String why = ": required outside dev mode, and not the development domain (chain " + MeridianTypes.DEV_CHAIN_ID
                + ", contract " + MeridianTypes.DEV_VERIFYING_CONTRACT + "): name the chain and the contract your venue's"
                + " signatures are bound to (docs/operations.md, \"Production settings\"), or set devMode true for a"
                + " development node";
        if (devChain) {
            add(problems, "auth.chainId" + why);
        }
        if (devContract) {
            add(problems, "auth.verifyingContract" + why);
        }
    }

    /** The optional index guards, each with its field named. */
    private static void validateGuards(Index index, String at, List<Problem> problems) {
        Long move = index.maxMovePpmPerSecond();
        if (move != null && (move < 0 || move >= 1_000_000)) {
            add(problems, at + ".maxMovePpmPerSecond: must be 0 (off) .. 999999 ppm of the index per second: " + move);
        }
        Long divergence = index.maxDivergencePpm();
        if (divergence != null && (divergence < 0 || divergence >= 1_000_000)) {
            add(problems, at + ".maxDivergencePpm: must be 0 (off) .. 999999 ppm of the average: " + divergence);
        }
        Long window = index.divergenceWindowSeconds();
        if (window != null && (window < 1 || window > Index.MAX_DIVERGENCE_WINDOW_SECONDS)) {
            add(problems, at + ".divergenceWindowSeconds: must be 1 .. " + Index.MAX_DIVERGENCE_WINDOW_SECONDS + ": "
                    + window);
        }
    }

    private static void validateMarkets(NodeConfig config, Set<String> assetSymbols, List<Problem> problems) {
        Set<Integer> indexIds = new HashSet<>();
        for (int i = 0; i < config.markets().indexes().size(); i++) {
            validateIndex(config.markets().indexes().get(i), "indexes[" + i + "]", indexIds, problems);
        }
        Set<Integer> ids = new HashSet<>();
        for (Instrument in : config.instruments()) {
            if (in != null) {
                ids.add(in.id());
            }
        }
        for (int i = 0; i < config.markets().optionChains().size(); i++) {
            validateChain(config, config.markets().optionChains().get(i), "optionChains[" + i + "]", indexIds,
                    assetSymbols, ids, problems);
        }
    }

    private static void validateIndex(Index index, String at, Set<Integer> indexIds, List<Problem> problems) {
        if (index == null || index.symbol() == null || index.sources() == null || index.sources().isEmpty()) {
            add(problems, at + ": symbol and at least one source are required");
            return;
        }
        if (!indexIds.add(index.id())) {
            add(problems, at + ".id: " + index.id() + " appears twice");
        }
        int before = problems.size();
        validateGuards(index, at, problems);
        if (problems.size() == before) {
            RejectReason reason = NodeConfigSpecs.indexSpec(index).validate();
            if (reason != null) {
                add(problems, at + ": " + reason.message());
            }
        }
        if (index.sourceKeys() != null) {
            if (index.sourceKeys().size() != index.sources().size()) {
                add(problems, at + ".sourceKeys: one per source (or null for a source not fed over the API): "
                        + index.sourceKeys().size() + " for " + index.sources().size() + " sources");
            }
            for (int k = 0; k < index.sourceKeys().size(); k++) {
                String key = index.sourceKeys().get(k);
                if (key != null && !AgentKey.parseHex(key).isOk()) {
                    add(problems, at + ".sourceKeys[" + k + "]: not an Ed25519 public key (32 bytes of hex): "
                            + AgentKey.parseHex(key).verdict().message());
                }
            }
        }
        if (index.surfaceKey() != null && !AgentKey.parseHex(index.surfaceKey()).isOk()) {
            add(problems, at + ".surfaceKey: not an Ed25519 public key (32 bytes of hex): "
                    + AgentKey.parseHex(index.surfaceKey()).verdict().message());
        }
        if (index.optionMargin() != null) {
            Optional<String> problem;
            try {
                problem = OptionMarginSpecs.problem(index.optionMarginSpec());
            } catch (RuntimeException e) {
                problem = Optional.of(String.valueOf(e.getMessage()));
            }
            problem.ifPresent(text -> add(problems, at + ".optionMargin: " + text));
        }
    }

    private static void validateChain(NodeConfig config, OptionChain chain, String at, Set<Integer> indexIds,
                                      Set<String> assetSymbols, Set<Integer> ids, List<Problem> problems) {
        if (chain == null || chain.underlying() == null || chain.settle() == null || chain.expiries() == null
                || chain.tickSize() == null || chain.lotSize() == null) {
            add(problems, at + ": underlying, settle, expiries, tickSize and lotSize are required");
            return;
        }
        int before = problems.size();
        if (!indexIds.contains(chain.index())) {
            add(problems, at + ".index: no index " + chain.index() + " in indexes");
        }
        if (!assetSymbols.contains(chain.settle())) {
            add(problems, at + ".settle: no asset '" + chain.settle() + "'");
        }
        if (problems.size() > before) {
            return;
        }
        List<Command> series;
        try {
            series = OptionChains.generate(NodeConfigSpecs.chainConfig(config, chain));
        } catch (RuntimeException e) {
            add(problems, at + ": " + e.getMessage());
            return;
        }
        for (Command c : series) {
            RejectReason reason = c.instrumentSpec.validate();
            if (reason == null && c.optionSpec != null) {
                reason = c.optionSpec.validate();
            }
            if (reason != null) {
                add(problems, at + ": " + c.instrumentSpec.symbol() + ": " + reason.message());
                return;
            }
            if (!ids.add(c.instrumentSpec.id())) {
                add(problems, at + ": instrument id " + c.instrumentSpec.id() + " (" + c.instrumentSpec.symbol()
                        + ") is already used");
                return;
            }
        }
    }

    /** A positive decimal, or null having added the problem. */
    private static BigDecimal positiveDecimal(String text, String field, List<Problem> problems) {
        if (text == null) {
            add(problems, field + ": required");
            return null;
        }
        try {
            BigDecimal value = new BigDecimal(text);
            if (value.signum() <= 0) {
                add(problems, field + ": must be positive, was " + text);
                return null;
            }
            return value;
        } catch (NumberFormatException e) {
            add(problems, field + ": not a decimal number: '" + text + "'");
            return null;
        }
    }
}
