package io.meridian.node.connection;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The limits of the gateway's connections (the node config's {@code connections} section; docs/api.md, "Connection
 * limits and timeouts", and docs/operations.md, "Production settings"). Immutable; {@link #problem} names the first
 * bad field as {@code connections.<field>}.
 *
 * @param maxConnections             open HTTP and WebSocket connections at once; 0 (the default) is automatic:
 *                                   {@link #DEFAULT_MAX_CONNECTIONS}, lowered to what the process's file-descriptor
 *                                   limit leaves room for ({@link FileDescriptors})
 * @param maxConnectionsPerAddress   of those, from one client address (an IPv6 client counts per /64)
 * @param headerTimeoutMillis        a request's head (request line and headers) must arrive within this of its first
 *                                   byte, and a new connection's first head within this of its opening
 * @param requestTimeoutMillis       a whole request (head and body) must arrive within this of its first byte
 * @param idleTimeoutMillis          a keep-alive HTTP connection with nothing read or written for this long is closed
 * @param maxPipelinedRequests       requests read from one connection and not yet answered; at this many the node
 *                                   stops reading the connection until answers drain
 * @param webSocketPingMillis        a WebSocket that sent nothing for this long is pinged
 * @param webSocketIdleTimeoutMillis a WebSocket that sent nothing (not even a pong) for this long is closed
 * @param allowedHosts               Host header values accepted (names or addresses, without port, lower case);
 *                                   {@code ["*"]} accepts any; null is the default: the bound address and the loopback
 *                                   forms ({@code localhost}, {@code 127.0.0.1}, {@code ::1}), and with a wildcard
 *                                   bind the machine's own addresses
 * @param allowedOrigins             browser origins ({@code scheme://host[:port]}) allowed cross-origin, with CORS;
 *                                   {@code ["*"]} allows any; empty (the default) refuses every cross-origin request
 * @param corsMaxAgeSeconds          how long a browser may cache a preflight answer
 */
public record ConnectionSettings(int maxConnections, int maxConnectionsPerAddress, long headerTimeoutMillis,
                                 long requestTimeoutMillis, long idleTimeoutMillis, int maxPipelinedRequests,
                                 long webSocketPingMillis, long webSocketIdleTimeoutMillis, List<String> allowedHosts,
                                 List<String> allowedOrigins, long corsMaxAgeSeconds) {
    /** The total cap when {@code maxConnections} is automatic and the file-descriptor limit allows it. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1_000;
    public static final long DEFAULT_HEADER_TIMEOUT_MILLIS = 10_000;
    public static final long DEFAULT_REQUEST_TIMEOUT_MILLIS = 30_000;
    public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 60_000;
    public static final int DEFAULT_MAX_PIPELINED_REQUESTS = 16;
    public static final long DEFAULT_WEBSOCKET_PING_MILLIS = 30_000;
    public static final long DEFAULT_WEBSOCKET_IDLE_TIMEOUT_MILLIS = 90_000;
    public static final long DEFAULT_CORS_MAX_AGE_SECONDS = 600;
    /** The most entries {@code allowedHosts} or {@code allowedOrigins} may have. */
    public static final int MAX_LIST = 64;
    /** Accepts any Host, or allows any origin. */
    public static final String ANY = "*";

    private static final long MAX_TIMEOUT_MILLIS = 86_400_000L;

    /** Every default: automatic total cap, the bound host's names, no cross-origin access. */
    public static final ConnectionSettings DEFAULTS = new ConnectionSettings(0, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
            DEFAULT_HEADER_TIMEOUT_MILLIS, DEFAULT_REQUEST_TIMEOUT_MILLIS, DEFAULT_IDLE_TIMEOUT_MILLIS,
            DEFAULT_MAX_PIPELINED_REQUESTS, DEFAULT_WEBSOCKET_PING_MILLIS, DEFAULT_WEBSOCKET_IDLE_TIMEOUT_MILLIS, null,
            List.of(), DEFAULT_CORS_MAX_AGE_SECONDS);

    /** The lists copied (immutable) and lower-cased, so that a config's spelling does not matter. */
    public ConnectionSettings {
        allowedHosts = allowedHosts == null ? null : lower(allowedHosts);
        allowedOrigins = allowedOrigins == null ? List.of() : lower(allowedOrigins);
    }

    /** A copy with other caps (tests, tools). */
    public ConnectionSettings withCaps(int total, int perAddress) {
        return new ConnectionSettings(total, perAddress, headerTimeoutMillis, requestTimeoutMillis, idleTimeoutMillis,
                maxPipelinedRequests, webSocketPingMillis, webSocketIdleTimeoutMillis, allowedHosts, allowedOrigins,
                corsMaxAgeSeconds);
    }

    /**
     * Every bad value, each as {@code connections.<field>: <why>} (none: empty). {@code httpHost} and {@code devMode} are
     * the node's: outside dev mode a node bound to a non-loopback address must list its {@code allowedHosts}, since
     * the names clients reach it by cannot be guessed and a wrong guess would refuse them all.
     */
    public List<String> problems(String httpHost, boolean devMode) {
        List<String> problems = new ArrayList<>();
        String p = "connections.";
        if (maxConnections < 0 || maxConnections > 1_000_000) {
            problems.add(p + "maxConnections: must be 0 (automatic) or 1..1000000, was " + maxConnections);
        }
        if (maxConnectionsPerAddress < 1 || maxConnectionsPerAddress > 1_000_000
                || (maxConnections > 0 && maxConnectionsPerAddress > maxConnections)) {
            problems.add(p + "maxConnectionsPerAddress: must be 1..maxConnections, was "
                    + maxConnectionsPerAddress);
        }
        if (headerTimeoutMillis < 100 || headerTimeoutMillis > 600_000) {
            problems.add(p + "headerTimeoutMillis: must be 100..600000, was " + headerTimeoutMillis);
        }
        if (requestTimeoutMillis < headerTimeoutMillis || requestTimeoutMillis > 3_600_000) {
            problems.add(p + "requestTimeoutMillis: must be headerTimeoutMillis.." + 3_600_000 + ", was "
                    + requestTimeoutMillis);
        }
        if (idleTimeoutMillis < 100 || idleTimeoutMillis > MAX_TIMEOUT_MILLIS) {
            problems.add(p + "idleTimeoutMillis: must be 100.." + MAX_TIMEOUT_MILLIS + ", was "
                    + idleTimeoutMillis);
        }
        if (maxPipelinedRequests < 1 || maxPipelinedRequests > 1_024) {
            problems.add(p + "maxPipelinedRequests: must be 1..1024, was " + maxPipelinedRequests);
        }
        if (webSocketPingMillis < 100 || webSocketPingMillis > 3_600_000) {
            problems.add(p + "webSocketPingMillis: must be 100..3600000, was " + webSocketPingMillis);
        }
        if (webSocketIdleTimeoutMillis < 2 * webSocketPingMillis || webSocketIdleTimeoutMillis > MAX_TIMEOUT_MILLIS) {
            problems.add(p + "webSocketIdleTimeoutMillis: must be at least twice webSocketPingMillis (a ping"
                    + " needs time for its pong) and at most " + MAX_TIMEOUT_MILLIS + ", was "
                    + webSocketIdleTimeoutMillis);
        }
        if (corsMaxAgeSeconds < 0 || corsMaxAgeSeconds > 86_400) {
            problems.add(p + "corsMaxAgeSeconds: must be 0..86400, was " + corsMaxAgeSeconds);
        }
        hostsProblems(httpHost, devMode, problems);
        originsProblems(problems);
        return problems;
    }

    private void hostsProblems(String httpHost, boolean devMode, List<String> problems) {
        String at = "connections.allowedHosts";
        if (allowedHosts == null) {
            if (!devMode && !Hosts.isLoopback(httpHost)) {
                problems.add(at + ": required outside dev mode when httpHost (" + httpHost + ") is not a loopback"
                        + " address: list the names clients reach the node by (or [\"*\"] behind a proxy that checks"
                        + " them)");
            }
            return;
        }
        if (allowedHosts.isEmpty() || allowedHosts.size() > MAX_LIST) {
            problems.add(at + ": 1.." + MAX_LIST + " entries, was " + allowedHosts.size());
            return;
        }
        for (int i = 0; i < allowedHosts.size(); i++) {
            String host = allowedHosts.get(i);
            if (!ANY.equals(host) && !Hosts.isHostName(host)) {
                problems.add(at + "[" + i + "]: a host name or address without port, or \"*\"; was '"
                        + Hosts.bounded(host) + "'");
            }
        }
    }

    private void originsProblems(List<String> problems) {
        String at = "connections.allowedOrigins";
        if (allowedOrigins.size() > MAX_LIST) {
            problems.add(at + ": at most " + MAX_LIST + " entries, was " + allowedOrigins.size());
            return;
        }
        for (int i = 0; i < allowedOrigins.size(); i++) {
            String origin = allowedOrigins.get(i);
            if (!ANY.equals(origin) && !isOrigin(origin)) {
                problems.add(at + "[" + i + "]: an origin as browsers send it (scheme://host or"
                        + " scheme://host:port, http or https, no path), or \"*\"; was '" + Hosts.bounded(origin)
                        + "'");
            }
        }
    }

    /** Whether {@code text} is a serialised http(s) origin: scheme, host, optional port, nothing else. */
    static boolean isOrigin(String text) {
        if (text == null || text.length() > 300) {
            return false;
        }
        try {
            URI uri = new URI(text);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawUserInfo() == null && uri.getRawPath() != null && uri.getRawPath().isEmpty()
                    && uri.getRawQuery() == null && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static List<String> lower(List<String> values) {
        List<String> out = new ArrayList<>(values.size());
        for (String v : values) {
            out.add(v == null ? "" : v.trim().toLowerCase(Locale.ROOT));
        }
        return List.copyOf(out);
    }
}
