package io.meridian.node.codec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The node's own faults at the edge (a bug, the engine stopped or not answering): the client gets an opaque error id
 * and a fixed message, never the exception's text; the log (logger {@code io.meridian.node.gateway}, level ERROR) gets
 * the id with the exception and its stack trace, so an operator can find what a client reports.
 *
 * <p>Bounded: the same fault (exception class and message) logged again within {@link #WINDOW_NANOS} is not logged
 * again; its clients get the id already logged for it, and the next line logged for it counts the repeats. So a flood
 * of failing requests (an engine that stopped, a full queue) costs one log line per fault per second, not one per
 * request. At most {@link #MAX_FAULTS} distinct faults are remembered. One instance per gateway (REST and WebSocket
 * share one, FIX has its own). Thread-safe.
 */
public final class Faults {
    /** How long one logged line stands for repeats of its fault. */
    static final long WINDOW_NANOS = 1_000_000_000L;
    static final int MAX_FAULTS = 256;

    private static final Logger LOG = LoggerFactory.getLogger("io.meridian.node.gateway");
    private final Map<String, Seen> seen = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
            return size() > MAX_FAULTS;
        }
    };


    private static final class Seen {
        final String id;
        final long since;
        long repeats;

        Seen(String id, long since) {
            this.id = id;
            this.since = since;
        }
    }

    /**
     * Records a fault met while serving {@code where} (a route or message type, for the log) and returns the error id
     * to give the client.
     */
    public String record(String where, Throwable fault) {
        String message = String.valueOf(fault.getMessage());
        String key = fault.getClass().getName() + ": " + message.substring(0, Math.min(message.length(), 300));
        long now = System.nanoTime();
        long repeatsBefore;
        String id;
        synchronized (seen) {
            Seen last = seen.get(key);
            if (last != null && now - last.since < WINDOW_NANOS) {
                last.repeats++;
                return last.id;
            }
            repeatsBefore = last == null ? 0 : last.repeats;
            id = newId();
            seen.put(key, new Seen(id, now));
        }
        if (repeatsBefore > 0) {
            LOG.error("error id {} serving {} (the same fault repeated {} times since it was last logged)", id, where,
                    repeatsBefore, fault);
        } else {
            LOG.error("error id {} serving {}", id, where, fault);
        }
        return id;
    }

    /** The client's text for a fault: what happened in general terms, and the id to quote. */
    public static String message(String what, String id) {
        return what + " (error id " + id + "; the node's log has the detail)";
    }

    /** A 500 body: {@code {"code":500,"message":"internal error (error id ...)"}}. */
    public Map<String, Object> internal(String where, Throwable fault) {
        return Json.error(Codes.INTERNAL, message("internal error", record(where, fault)));
    }

    /** 16 hex digits: random, so it says nothing about the node (no counter, no time). */
    private static String newId() {
        return String.format(Locale.ROOT, "%016x", ThreadLocalRandom.current().nextLong());
    }
}
