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

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of {@link NodeConfig#validate()}: every value, each refusal naming its field. Split out of NodeConfig so
 * that the settings and their checks each stay readable; stateless.
 */
final class NodeConfigChecks {
    private NodeConfigChecks() {
    }

    /**
     * The FIX section: a port (required; 0 picks a free one) other than the HTTP port, and a CompID of 1..64 printable
     * ASCII characters (it goes into every message's header).
     */
    private static void validateFix(NodeConfig config) throws ConfigException {
        if (config.fix() == null) {
            return;
        }
        if (config.fix().port() < 0 || config.fix().port() > 65_535) {
            throw new ConfigException("fix.port: required, 0..65535, was " + config.fix().port());
        }
        if (config.fix().port() != 0 && config.fix().port() == config.httpPort()) {
            throw new ConfigException("fix.port: must differ from httpPort " + config.httpPort());
        }
        String id = config.fix().senderCompId();
        if (id == null || id.isEmpty() || id.length() > 64 || !id.chars().allMatch(ch -> ch > 32 && ch < 127)) {
            throw new ConfigException("fix.senderCompId: must be 1..64 printable ASCII characters without spaces, was '"
                    + id + "'");
        }
    }

    /**
     * The governance section: 1..16 distinct admin addresses (each a {@code 0x} address; the checksum, when mixed case,
     * must be right), a threshold of 1..admins and a timelock of 0..30 days, both required.
     */
    private static void validateGovernance(NodeConfig.Governance governance) throws ConfigException {
        if (governance == null) {
            return;
        }
        if (governance.admins() == null || governance.admins().isEmpty()
                || governance.admins().size() > io.meridian.model.GovernanceSpec.MAX_ADMINS) {
            throw new ConfigException("governance.admins: 1.." + io.meridian.model.GovernanceSpec.MAX_ADMINS
                    + " admin addresses are required");
        }
        for (int i = 0; i < governance.admins().size(); i++) {
            String admin = governance.admins().get(i);
            var parsed = Address.parse(admin);
            if (admin == null || !parsed.isOk()) {
                throw new ConfigException("governance.admins[" + i + "]: not an address: '" + admin + "'"
                        + (admin == null ? "" : " (" + parsed.verdict().message() + ")"));
            }
        }
        if (governance.threshold() == null) {
            throw new ConfigException("governance.threshold: required (how many admins must approve a proposal)");
        }
        if (governance.timelockMillis() == null) {
            throw new ConfigException("governance.timelockMillis: required (how long an approved proposal waits)");
        }
        String problem = governance.spec().problem();
        if (problem != null) {
            throw new ConfigException("governance: " + problem + " (admins " + governance.admins().size()
                    + ", threshold " + governance.threshold() + ", timelockMillis " + governance.timelockMillis() + ")");
        }
    }

    /** The volatility controller: its policy's parameters and an interval of 100 ms .. 1 h. */
    private static void validateRiskController(NodeConfig.RiskController controller) throws ConfigException {
        if (controller == null) {
            return;
        }
        try {
            controller.policy();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        if (controller.interval() < 100 || controller.interval() > 3_600_000) {
            throw new ConfigException("riskController.intervalMillis: must be 100..3600000 (an hour), was "
                    + controller.interval());
        }
    }

    /** The auth section: a mode, and a domain of a positive chain id and a contract address. */
    private static void validateAuth(Auth auth) throws ConfigException {
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
        if (!(auth.signatureChecksPerSecond() >= 1) || auth.signatureChecksPerSecond() > 1_000_000) {
            throw new ConfigException("auth.signatureChecksPerSecond: must be 1..1000000, was "
                    + auth.signatureChecksPerSecond());
        }
        if (auth.maxReadTokenSeconds() < 1 || auth.maxReadTokenSeconds() > 7 * 24 * 3600) {
            throw new ConfigException("auth.maxReadTokenSeconds: must be 1..604800 (a week), was "
                    + auth.maxReadTokenSeconds());
        }
    }

    /** Checks every value of {@code config}; throws on the first problem. */
    static void validate(NodeConfig config) throws ConfigException {
        try {
            config.engineConfig();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException("engine: " + e.getMessage());
        }
        if (config.dataDir().isBlank()) {
            throw new ConfigException("dataDir: must not be empty");
        }
        if (config.httpPort() < 0 || config.httpPort() > 65_535) {
            throw new ConfigException("httpPort: must be 0..65535, was " + config.httpPort());
        }
        if (!config.durability().equals("group_commit") && !config.durability().equals("none")) {
            throw new ConfigException("durability: must be group_commit or none, was '" + config.durability() + "'");
        }
        if (config.snapshotEveryCommands() < 0) {
            throw new ConfigException("snapshotEveryCommands: must not be negative");
        }
        if (config.ordersPerSecondPerAccount() < 1 || config.requestsPerSecondPerConnection() < 1) {
            throw new ConfigException("ordersPerSecondPerAccount and requestsPerSecondPerConnection: must be positive");
        }
        validateAuth(config.auth());
        validateFix(config);
        validateGovernance(config.governance());
        validateRiskController(config.riskController());
        if (config.chain() != null) {
            java.util.Set<Integer> assetIds = new java.util.HashSet<>();
            config.assets().forEach(a -> assetIds.add(a.id()));
            config.chain().validate(assetIds);
        }
        Optional<String> connections = config.connections().problem(config.httpHost(), config.devMode());
        if (connections.isPresent()) {
            throw new ConfigException(connections.get());
        }
        if (config.clusterMaxInFlight() < 1 || config.clusterMaxInFlight() > NodeConfig.MAX_CLUSTER_MAX_IN_FLIGHT) {
            throw new ConfigException("clusterMaxInFlight: must be 1.." + NodeConfig.MAX_CLUSTER_MAX_IN_FLIGHT + ", was "
                    + config.clusterMaxInFlight());
        }
        if (config.maxBodyBytes() < 256 || config.maxBodyBytes() > (1 << 24)) {
            throw new ConfigException("maxBodyBytes: must be 256..16777216, was " + config.maxBodyBytes());
        }
        Set<String> assetSymbols = new HashSet<>();
        Set<Integer> assetIds = new HashSet<>();
        for (int i = 0; i < config.assets().size(); i++) {
            Asset a = config.assets().get(i);
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
        validateMarkets(config, assetSymbols);
        if (config.instruments().isEmpty()) {
            throw new ConfigException("instruments: at least one is needed");
        }
        Set<Integer> ids = new HashSet<>();
        Set<String> symbols = new HashSet<>();
        for (int i = 0; i < config.instruments().size(); i++) {
            Instrument in = config.instruments().get(i);
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
                spec = NodeConfigSpecs.spec(in);
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
                Index index = config.markets().indexes().stream().filter(x -> x != null && x.id() == in.index()).findFirst()
                        .orElse(null);
                if (index == null) {
                    throw new ConfigException(at + ".index: no index " + in.index() + " in indexes");
                }
                // The engine's rule: a tick is a whole number (at least 1) of the index's price units, so that a mark
                // taken from the index converts to ticks exactly.
                BigDecimal units = new BigDecimal(in.tickSize()).scaleByPowerOfTen(index.priceDecimals())
                        .stripTrailingZeros();
                if (units.scale() > 0 || units.compareTo(BigDecimal.ONE) < 0) {
                    throw new ConfigException(at + ".tickSize: " + in.tickSize() + " must be a whole number of the"
                        + " index's"
                            + " price units (" + index.priceDecimals() + " decimals) to be priced from it");
                }
                PricingSpec pricing;
                try {
                    pricing = NodeConfigSpecs.pricingSpec(in, config.scaleOf(in.settle()));
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
        validateDomain(config);
    }

/**
     * Outside dev mode, the EIP-712 domain must be the venue's own. The development domain (chain 31337, contract
     * 0x...dEaD) is what a config left without {@code auth.chainId} and {@code auth.verifyingContract} used to get
     * silently: signatures made for any other development node, or test vectors, would verify here too. Last of the
     * checks, so that every other mistake is reported first.
     */
    private static void validateDomain(NodeConfig config) throws ConfigException {
        if (config.devMode()) {
            return;
        }
        boolean devChain = config.auth().chainId() == MeridianTypes.DEV_CHAIN_ID;
        boolean devContract = Address.parseOrThrow(config.auth().verifyingContract())
                .equals(Address.parseOrThrow(MeridianTypes.DEV_VERIFYING_CONTRACT));
        if (devChain || devContract) {
            String keys = devChain && devContract ? "auth.chainId and auth.verifyingContract"
                    : devChain ? "auth.chainId" : "auth.verifyingContract";
            throw new ConfigException(keys + ": required outside dev mode, and not the development domain (chain "
                    + MeridianTypes.DEV_CHAIN_ID + ", contract " + MeridianTypes.DEV_VERIFYING_CONTRACT + "): name the"
                    + " chain and the contract your venue's signatures are bound to (docs/operations.md, \"Production"
                    + " settings\"), or set devMode true for a development node");
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

    private static void validateMarkets(NodeConfig config, Set<String> assetSymbols) throws ConfigException {
        Set<Integer> indexIds = new HashSet<>();
        for (int i = 0; i < config.markets().indexes().size(); i++) {
            Index index = config.markets().indexes().get(i);
            String at = "indexes[" + i + "]";
            if (index == null || index.symbol() == null || index.sources() == null || index.sources().isEmpty()) {
                throw new ConfigException(at + ": symbol and at least one source are required");
            }
            if (!indexIds.add(index.id())) {
                throw new ConfigException(at + ".id: " + index.id() + " appears twice");
            }
            validateGuards(index, at);
            RejectReason reason = NodeConfigSpecs.indexSpec(index).validate();
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
        for (Instrument in : config.instruments()) {
            if (in != null) {
                ids.add(in.id());
            }
        }
        for (int i = 0; i < config.markets().optionChains().size(); i++) {
            OptionChain chain = config.markets().optionChains().get(i);
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
                series = OptionChains.generate(NodeConfigSpecs.chainConfig(config, chain));
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
}
