package io.meridian.node.binary;

import io.meridian.sbe.Frames;

import java.util.ArrayList;
import java.util.List;

/**
 * The config's {@code binary} section: the binary (SBE) order-entry listener (docs/binary-protocol.md; docs/api.md,
 * "Config"). Absent: no listener (the default). Every field but {@code port} is optional; null is its default.
 *
 * @param port                      the TCP port on {@code httpHost} (required; 0 picks a free one)
 * @param maxFrameBytes             the longest frame a client may send, prefix excluded (default 512, 256..65536)
 * @param maxOutboundBytes          a connection's bytes written and not yet taken by the client beyond which it is a
 *                                  slow consumer and is logged out (default 4 MiB, 64 KiB..256 MiB)
 * @param maxConnectionsPerAddress  open connections from one remote address (default 16, 1..10000)
 * @param loginTimeoutMillis        how long a connection may wait before its Logon is answered (default 5000,
 *                                  100..60000)
 * @param heartbeatIntervalMillis   a session sends something at least this often; silence for three intervals logs
 *                                  it out (default 10000, 100..300000)
 * @param retransmitMessages        execution reports a session keeps for resends (default 8192, a power of two,
 *                                  1024..1048576; each slot is {@value BinarySession#SLOT_BYTES} bytes)
 * @param maxSessions               sessions (signers) the node keeps, logged in or waiting for a reconnect (default 64,
 *                                  1..100000); a logon over it is refused unless a disconnected one can be dropped
 */
public record BinarySettings(Integer port, Integer maxFrameBytes, Integer maxOutboundBytes,
                             Integer maxConnectionsPerAddress, Long loginTimeoutMillis, Long heartbeatIntervalMillis,
                             Integer retransmitMessages, Integer maxSessions) {
    /** A listener on {@code port} with every default (tests, the load-test example). */
    public static BinarySettings on(int port) {
        return new BinarySettings(port, null, null, null, null, null, null, null);
    }

    public int frameLimit() {
        return maxFrameBytes == null ? Frames.DEFAULT_MAX_FRAME_BYTES : maxFrameBytes;
    }

    public int outboundLimit() {
        return maxOutboundBytes == null ? 4 << 20 : maxOutboundBytes;
    }

    public int perAddressLimit() {
        return maxConnectionsPerAddress == null ? 16 : maxConnectionsPerAddress;
    }

    public long loginTimeout() {
        return loginTimeoutMillis == null ? 5_000 : loginTimeoutMillis;
    }

    public long heartbeatInterval() {
        return heartbeatIntervalMillis == null ? 10_000 : heartbeatIntervalMillis;
    }

    public int retransmitSlots() {
        return retransmitMessages == null ? 8_192 : retransmitMessages;
    }

    public int sessionLimit() {
        return maxSessions == null ? 64 : maxSessions;
    }

    /** What is wrong with the section, each as {@code binary.field: rule, was value}; empty when nothing is. */
    public List<String> problems(int httpPort, int fixPort) {
        List<String> problems = new ArrayList<>();
        if (port == null || port < 0 || port > 65_535) {
            problems.add("binary.port: required, 0..65535, was " + port);
        } else if (port != 0 && (port == httpPort || port == fixPort)) {
            problems.add("binary.port: must differ from httpPort and fix.port, was " + port);
        }
        range(problems, "maxFrameBytes", maxFrameBytes, Frames.MIN_MAX_FRAME_BYTES, Frames.MAX_MAX_FRAME_BYTES);
        range(problems, "maxOutboundBytes", maxOutboundBytes, 64 << 10, 256 << 20);
        range(problems, "maxConnectionsPerAddress", maxConnectionsPerAddress, 1, 10_000);
        range(problems, "loginTimeoutMillis", loginTimeoutMillis, 100, 60_000);
        range(problems, "heartbeatIntervalMillis", heartbeatIntervalMillis, 100, 300_000);
        range(problems, "retransmitMessages", retransmitMessages, 1024, 1 << 20);
        if (retransmitMessages != null && Integer.bitCount(retransmitMessages) != 1) {
            problems.add("binary.retransmitMessages: must be a power of two, was " + retransmitMessages);
        }
        range(problems, "maxSessions", maxSessions, 1, 100_000);
        return problems;
    }

    private static void range(List<String> problems, String field, Number value, long min, long max) {
        if (value != null && (value.longValue() < min || value.longValue() > max)) {
            problems.add("binary." + field + ": must be " + min + ".." + max + ", was " + value);
        }
    }
}
