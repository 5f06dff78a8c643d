package io.meridian.node.connection;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** Host names and Host headers: parsing, the default allow-list of a bound address, bounded echoes. Stateless. */
final class Hosts {
    /** How much client text an error message repeats (as everywhere in the gateway: docs/api.md, "Conventions"). */
    static final int ECHO = 40;

    private Hosts() {
    }

    /** Whether the node's bind address only takes connections from this machine. */
    static boolean isLoopback(String httpHost) {
        String h = strip(httpHost);
        return h.equals("localhost") || h.equals("::1") || h.startsWith("127.");
    }

    /** Whether the bind address is a wildcard (every interface). */
    static boolean isWildcard(String httpHost) {
        String h = strip(httpHost);
        return h.equals("0.0.0.0") || h.equals("::") || h.equals("0:0:0:0:0:0:0:0");
    }

    /**
     * A host name (letters, digits, dots, hyphens), an IPv4 address or an IPv6 address (with or without brackets),
     * without port: at most 253 characters.
     */
    static boolean isHostName(String text) {
        if (text == null || text.isEmpty() || text.length() > 253) {
            return false;
        }
        String h = strip(text);
        if (h.isEmpty()) {
            return false;
        }
        if (h.indexOf(':') >= 0) {
            // An IPv6 address: hex digits and at least two colons (dots for an embedded IPv4 address).
            return h.chars().filter(c -> c == ':').count() >= 2
                    && h.chars().allMatch(c -> (c >= 'a' && c <= 'f') || (c >= '0' && c <= '9') || c == ':' || c == '.');
        }
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The host of a Host header value (RFC 9110 7.2: {@code host[:port]}, an IPv6 address in brackets), lower case,
     * without brackets or a trailing dot; null when it is malformed.
     */
    static String hostOf(String header) {
        String v = header.trim().toLowerCase(Locale.ROOT);
        String host;
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            if (end < 0 || (end + 1 < v.length() && !validPort(v.substring(end + 1)))) {
                return null;
            }
            host = v.substring(1, end);
        } else {
            int colon = v.indexOf(':');
            if (colon >= 0 && (v.indexOf(':', colon + 1) >= 0 || !validPort(v.substring(colon)))) {
                return null;
            }
            host = colon >= 0 ? v.substring(0, colon) : v;
        }
        host = strip(host);
        return isHostName(host) ? host : null;
    }

    /** The port of a Host header value, or -1 when it names none (or is malformed). */
    static int portOf(String header) {
        String v = header.trim();
        int from = v.startsWith("[") ? v.indexOf(']') + 1 : v.indexOf(':');
        if (from <= 0 || from >= v.length() || v.charAt(from) != ':') {
            return -1;
        }
        try {
            return Integer.parseInt(v.substring(from + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean validPort(String colonAndPort) {
        if (colonAndPort.length() < 2 || colonAndPort.length() > 6 || colonAndPort.charAt(0) != ':') {
            return false;
        }
        for (int i = 1; i < colonAndPort.length(); i++) {
            if (colonAndPort.charAt(i) < '0' || colonAndPort.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(colonAndPort.substring(1)) <= 65_535;
    }

    /**
     * The Host values a node bound to {@code httpHost} accepts by default: the loopback forms, the bound address,
     * and for a wildcard bind the addresses of the machine's interfaces (what a client on the network types).
     */
    static Set<String> defaults(String httpHost) {
        Set<String> hosts = new LinkedHashSet<>();
        hosts.add("localhost");
        hosts.add("127.0.0.1");
        hosts.add("::1");
        if (isWildcard(httpHost)) {
            try {
                for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                        String text = address.getHostAddress();
                        int zone = text.indexOf('%');
                        hosts.add(strip(zone >= 0 ? text.substring(0, zone) : text));
                    }
                }
            } catch (SocketException e) {
                // No interface list: the loopback forms only; the operator can list names in allowedHosts.
            }
        } else {
            hosts.add(strip(httpHost));
        }
        return hosts;
    }

    /** Lower case, without IPv6 brackets or a trailing dot (an absolute name is the same host). */
    static String strip(String host) {
        String h = host == null ? "" : host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /** At most {@link #ECHO} characters of client text, printable ASCII only, for an error message. */
    static String bounded(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), ECHO) + 3);
        for (int i = 0; i < text.length() && i < ECHO; i++) {
            char c = text.charAt(i);
            sb.append(c >= 32 && c < 127 && c != '"' && c != '\\' ? c : '?');
        }
        if (text.length() > ECHO) {
            sb.append("...");
        }
        return sb.toString();
    }
}
