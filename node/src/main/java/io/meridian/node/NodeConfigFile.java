package io.meridian.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.meridian.auth.MeridianTypes;
import io.meridian.node.access.AccessSettings;
import io.meridian.node.NodeConfig.Asset;
import io.meridian.node.NodeConfig.Auth;
import io.meridian.node.NodeConfig.ConfigException;
import io.meridian.node.NodeConfig.EngineSection;
import io.meridian.node.NodeConfig.Fix;
import io.meridian.node.NodeConfig.Index;
import io.meridian.node.NodeConfig.Instrument;
import io.meridian.node.NodeConfig.Markets;
import io.meridian.node.NodeConfig.OptionChain;
import io.meridian.node.connection.ConnectionSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The config file: its JSON shape (every field optional), the defaults a file gets for what it leaves out, and the
 * refusal of unknown fields and wrong types with the field's path. Split out of {@link NodeConfig}, whose
 * {@code read} and {@code parse} delegate here; stateless.
 */
final class NodeConfigFile {
    private NodeConfigFile() {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);

    /** Reads and validates a config file. */
    static NodeConfig read(Path file) throws ConfigException {
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
    static NodeConfig parse(String json) throws ConfigException {
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
        NodeConfig d = NodeConfig.defaults();
        NodeConfig config = new NodeConfig(
                raw.dataDir != null ? raw.dataDir : d.dataDir(),
                raw.httpHost != null ? raw.httpHost : d.httpHost(),
                raw.httpPort != null ? raw.httpPort : d.httpPort(),
                raw.durability != null ? raw.durability : d.durability(),
                raw.snapshotEveryCommands != null ? raw.snapshotEveryCommands : d.snapshotEveryCommands(),
                raw.maxBodyBytes != null ? raw.maxBodyBytes : d.maxBodyBytes(),
                // Dev deposits only when a file asks for them: the built-in demo venue is the one default that has them.
                raw.devMode != null ? raw.devMode : false,
                raw.assets != null ? raw.assets : d.assets(),
                // A file has no indexes unless it lists them, so its default perpetuals keep operator marks.
                raw.instruments != null ? raw.instruments : d.operatorMarkedInstruments(),
                raw.ordersPerSecondPerAccount != null ? raw.ordersPerSecondPerAccount
                        : NodeConfig.DEFAULT_ORDERS_PER_SECOND_PER_ACCOUNT,
                raw.requestsPerSecondPerConnection != null ? raw.requestsPerSecondPerConnection
                        : NodeConfig.DEFAULT_REQUESTS_PER_SECOND_PER_CONNECTION,
                // Signed requests only, unless the file opens the node up: the safe default for a real deployment.
                raw.auth == null ? Auth.signed() : new Auth(raw.auth.mode != null ? raw.auth.mode : Auth.SIGNED,
                        raw.auth.chainId != null ? raw.auth.chainId : MeridianTypes.DEV_CHAIN_ID,
                        raw.auth.verifyingContract != null ? raw.auth.verifyingContract
                                : MeridianTypes.DEV_VERIFYING_CONTRACT,
                        raw.auth.signatureChecksPerSecond != null ? raw.auth.signatureChecksPerSecond
                                : AccessSettings.DEFAULTS.signatureChecksPerSecond(),
                        raw.auth.maxReadTokenSeconds != null ? raw.auth.maxReadTokenSeconds
                                : AccessSettings.DEFAULTS.maxReadTokenMillis() / 1000),
                raw.pruneJournal != null && raw.pruneJournal,
                new Markets(raw.indexes != null ? raw.indexes : List.of(),
                        raw.optionChains != null ? raw.optionChains : List.of()),
                raw.snapshotReplica != null && raw.snapshotReplica, raw.engine,
                raw.fix == null ? null : new Fix(raw.fix.port != null ? raw.fix.port : -1,
                        raw.fix.senderCompId != null ? raw.fix.senderCompId : Fix.DEFAULT_SENDER_COMP_ID),
                connections(raw.connections),
                raw.clusterMaxInFlight != null ? raw.clusterMaxInFlight : NodeConfig.DEFAULT_CLUSTER_MAX_IN_FLIGHT,
                raw.governance, raw.riskController, raw.chain);
        config.validate();
        return config;
    }

    /** The connections section with the defaults for what it leaves out (all of it when absent). */
    private static ConnectionSettings connections(RawConnections raw) {
        ConnectionSettings d = ConnectionSettings.DEFAULTS;
        if (raw == null) {
            return d;
        }
        return new ConnectionSettings(or(raw.maxConnections, d.maxConnections()),
                or(raw.maxConnectionsPerAddress, d.maxConnectionsPerAddress()),
                or(raw.headerTimeoutMillis, d.headerTimeoutMillis()), or(raw.requestTimeoutMillis,
                        d.requestTimeoutMillis()), or(raw.idleTimeoutMillis, d.idleTimeoutMillis()),
                or(raw.maxPipelinedRequests, d.maxPipelinedRequests()),
                or(raw.webSocketPingMillis, d.webSocketPingMillis()),
                or(raw.webSocketIdleTimeoutMillis, d.webSocketIdleTimeoutMillis()),
                raw.allowedHosts != null ? raw.allowedHosts : d.allowedHosts(),
                raw.allowedOrigins != null ? raw.allowedOrigins : d.allowedOrigins(),
                or(raw.corsMaxAgeSeconds, d.corsMaxAgeSeconds()));
    }

    private static int or(Integer value, int otherwise) {
        return value != null ? value : otherwise;
    }

    private static long or(Long value, long otherwise) {
        return value != null ? value : otherwise;
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
        public RawConnections connections;
        public Integer clusterMaxInFlight;
        public NodeConfig.Governance governance;
        public NodeConfig.RiskController riskController;
        public ChainSettings chain;
    }

    /** The {@code connections} section ({@link ConnectionSettings}); every field optional. */
    private static final class RawConnections {
        public Integer maxConnections;
        public Integer maxConnectionsPerAddress;
        public Long headerTimeoutMillis;
        public Long requestTimeoutMillis;
        public Long idleTimeoutMillis;
        public Integer maxPipelinedRequests;
        public Long webSocketPingMillis;
        public Long webSocketIdleTimeoutMillis;
        public List<String> allowedHosts;
        public List<String> allowedOrigins;
        public Long corsMaxAgeSeconds;
    }

    private static final class RawFix {
        public Integer port;
        public String senderCompId;
    }

    private static final class RawAuth {
        public String mode;
        public Long chainId;
        public String verifyingContract;
        public Double signatureChecksPerSecond;
        public Long maxReadTokenSeconds;
    }
}
