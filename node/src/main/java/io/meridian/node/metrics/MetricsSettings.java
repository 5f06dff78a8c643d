package io.meridian.node.metrics;

/**
 * Who may read {@code GET /metrics} (docs/operations.md, "Metrics"; the JSON section {@code metrics}): nobody when
 * not {@code enabled} (404, as an unknown path); anyone when {@code open} (the JSON field {@code public}); else a
 * request with {@code Authorization: Bearer <token>} (401 without it; with no token set, nobody). Defaults:
 * enabled, public in dev mode only.
 */
public record MetricsSettings(boolean enabled, boolean open, String token) {
    /** The shortest token accepted. */
    public static final int MIN_TOKEN_LENGTH = 16;

    /** Enabled; public on a dev node, else only with a token (none set). */
    public static MetricsSettings defaults(boolean devMode) {
        return new MetricsSettings(true, devMode, null);
    }

    /** Whether a request with this {@code Authorization} header value may read the metrics. */
    public boolean admits(String authorization) {
        if (!enabled) {
            return false;
        }
        if (open) {
            return true;
        }
        if (token == null || authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        return java.security.MessageDigest.isEqual(token.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                authorization.substring("Bearer ".length()).trim()
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "MetricsSettings[enabled=" + enabled + ", public=" + open + ", token=" + (token == null ? "none" : "set")
                + "]";
    }
}
