package io.meridian.node;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
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
import io.meridian.node.NodeConfig.Problem;
import io.meridian.node.connection.ConnectionSettings;
import io.meridian.node.metrics.MetricsSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /**
     * Parses and validates config JSON; fields left out take their defaults. Every mistake is collected before anything
     * is refused: unknown fields and values of the wrong type (the file's shape) as the parser meets them, then every
     * value's checks ({@link NodeConfigChecks}), less those about a field whose value was already refused; they are
     * thrown together, each with its JSON path.
     */
    static NodeConfig parse(String json) throws ConfigException {
        List<Problem> shape = new ArrayList<>();
        Raw raw;
        try {
            raw = MAPPER.reader().withHandler(new ShapeProblems(shape)).readValue(json, Raw.class);
        } catch (UnrecognizedPropertyException e) {
            shape.add(new Problem(path(e), "unknown field '" + e.getPropertyName() + "'"));
            throw new ConfigException(shape);
        } catch (JsonProcessingException e) {
            String at = path(e);
            shape.add(new Problem(at, "invalid config: " + e.getOriginalMessage() + (!at.isEmpty()
                    || e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + " column "
                    + e.getLocation().getColumnNr())));
            throw new ConfigException(shape);
        } catch (IOException e) {
            throw new ConfigException("invalid config: " + e.getMessage());
        }
        if (raw == null) {
            throw new ConfigException("invalid config: empty");
        }
        NodeConfig config = build(raw);
        List<Problem> problems = new ArrayList<>(shape);
        for (Problem p : NodeConfigChecks.problems(config)) {
            if (shape.stream().noneMatch(s -> p.within(s.path()))) {
                problems.add(p);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    /** The settings of a parsed file, with the defaults for what it leaves out (not yet checked). */
    private static NodeConfig build(Raw raw) {
        NodeConfig d = NodeConfig.defaults();
        return new NodeConfig(
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
                raw.governance, raw.riskController, raw.chain, metrics(raw.metrics, raw.devMode != null && raw.devMode),
                raw.binary);
    }

    /** The metrics section with the defaults for what it leaves out (all of it when absent). */
    private static MetricsSettings metrics(RawMetrics raw, boolean devMode) {
        MetricsSettings d = MetricsSettings.defaults(devMode);
        if (raw == null) {
            return d;
        }
        return new MetricsSettings(raw.enabled != null ? raw.enabled : d.enabled(),
                raw.open != null ? raw.open : d.open(), raw.token);
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

    /**
     * The file's shape mistakes, collected as the parser meets them: an unknown field is skipped, a value of the wrong
     * type is read as absent (a number as 0), so that parsing goes on to find the others.
     */
    private static final class ShapeProblems extends DeserializationProblemHandler {
        private final List<Problem> problems;

        ShapeProblems(List<Problem> problems) {
            this.problems = problems;
        }

        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                             Object beanOrClass, String propertyName) throws IOException {
            problems.add(new Problem(path(p.getParsingContext()), "unknown field '" + propertyName + "'"));
            p.skipChildren();
            return true;
        }

        @Override
        public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String valueToConvert,
                                             String failureMsg) {
            return refused(ctxt.getParser(), targetType, "'" + valueToConvert + "'");
        }

        @Override
        public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number valueToConvert,
                                             String failureMsg) {
            return refused(ctxt.getParser(), targetType, String.valueOf(valueToConvert));
        }

        @Override
        public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p,
                                            String failureMsg) throws IOException {
            String was = t == JsonToken.START_OBJECT ? "an object" : t == JsonToken.START_ARRAY ? "a list"
                    : t == JsonToken.VALUE_NULL ? "null" : p.getText();
            Object placeholder = refused(p, targetType.getRawClass(), was);
            p.skipChildren();
            return placeholder;
        }

        /** A scalar where a section (an object) goes: {@code "auth": "open"}. */
        @Override
        public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass,
                                                ValueInstantiator instantiator, JsonParser p, String msg)
                throws IOException {
            String was = p.currentToken() == JsonToken.VALUE_STRING ? "'" + p.getText() + "'" : p.getText();
            Object placeholder = refused(p, instClass, was);
            p.skipChildren();
            return placeholder;
        }

        private Object refused(JsonParser p, Class<?> targetType, String was) {
            // At an object or a list that should not be there, the parser is already inside it: its field is the parent.
            JsonStreamContext at = p.getParsingContext();
            if ((p.currentToken() == JsonToken.START_ARRAY || p.currentToken() == JsonToken.START_OBJECT)
                    && at.getParent() != null) {
                at = at.getParent();
            }
            problems.add(new Problem(path(at), "must be " + describe(targetType) + ", was " + was));
            return placeholder(targetType);
        }
    }

    /** What a field of this type holds, for a message. */
    private static String describe(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "an object";
    }

    /** The value a refused field is read as: absent, or 0 (false) where a primitive cannot be absent. */
    private static Object placeholder(Class<?> type) {
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == double.class) {
            return 0.0;
        }
        if (type == boolean.class) {
            return false;
        }
        return null;
    }

    /** The JSON path of the parser's place: {@code instruments[0].tickSize}. */
    private static String path(JsonStreamContext context) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.add("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                parts.add(c.getCurrentName());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = parts.size() - 1; i >= 0; i--) {
            String part = parts.get(i);
            sb.append(part.startsWith("[") || sb.length() == 0 ? "" : ".").append(part);
        }
        return sb.toString();
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
        return "";
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
        public RawMetrics metrics;
        public io.meridian.node.binary.BinarySettings binary;
    }

    /** The {@code metrics} section ({@link MetricsSettings}); every field optional. */
    private static final class RawMetrics {
        public Boolean enabled;
        @com.fasterxml.jackson.annotation.JsonProperty("public")
        public Boolean open;
        public String token;
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
