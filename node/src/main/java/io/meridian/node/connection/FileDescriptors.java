package io.meridian.node.connection;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The connection cap against the process's file-descriptor limit ({@code ulimit -n}; the JVM raises its soft limit
 * to the hard one at start on Linux). Every connection is a descriptor, and so are the journal, snapshots, the jars,
 * the FIX acceptor and the JVM's own: a node that accepted connections up to the limit would fail its next journal
 * segment or snapshot with "Too many open files". So connections get the limit less {@link #RESERVED} descriptors,
 * less the refused connections that may linger while their 503 is delivered ({@link ConnectionCaps#MAX_LINGERING}).
 */
public final class FileDescriptors {
    /** Descriptors kept for everything but connections. */
    public static final int RESERVED = 512;

    private FileDescriptors() {
    }

    /** The process's limit, or -1 where the JVM cannot tell (not a Unix). */
    public static long processLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    /** How many connections a process limit of {@code limit} descriptors leaves room for (-1: no known limit). */
    public static long connectionBudget(long limit) {
        return limit < 0 ? Long.MAX_VALUE : limit - RESERVED - ConnectionCaps.MAX_LINGERING;
    }

    /**
     * The total cap in effect: an automatic one ({@code configured} 0) is {@link ConnectionSettings#DEFAULT_MAX_CONNECTIONS}
     * lowered to the budget; an explicit one must fit the budget.
     *
     * @throws IllegalStateException naming the setting and the limit, when an explicit cap does not fit, or the limit
     *                               leaves no room for connections at all
     */
    public static int effectiveMaxConnections(int configured, long limit) {
        long budget = connectionBudget(limit);
        if (budget < 16) {
            throw new IllegalStateException("the file-descriptor limit (ulimit -n) is " + limit + ": too low to serve"
                    + " connections (" + RESERVED + " are kept for the journal and the JVM); raise it"
                    + " (docs/operations.md, \"Production settings\")");
        }
        if (configured == 0) {
            return (int) Math.min(ConnectionSettings.DEFAULT_MAX_CONNECTIONS, budget);
        }
        if (configured > budget) {
            throw new IllegalStateException("connections.maxConnections: " + configured + " needs more file descriptors"
                    + " than the process may open (ulimit -n " + limit + ", of which " + RESERVED + " are kept for the"
                    + " journal and the JVM and " + ConnectionCaps.MAX_LINGERING + " for refusals): at most " + budget
                    + "; raise the limit (docs/operations.md, \"Production settings\") or lower the setting");
        }
        return configured;
    }
}
