package io.meridian.auth;

/**
 * A value, or the reject that explains why there is none: what the parsers and signature recovery return instead of
 * throwing on bad input. Immutable.
 *
 * @param <T> the value's type
 */
public final class Outcome<T> {

    private final T value;
    private final Verdict verdict;

    private Outcome(T value, Verdict verdict) {
        this.value = value;
        this.verdict = verdict;
    }

    public static <T> Outcome<T> ok(T value) {
        return new Outcome<>(value, Verdict.ok());
    }

    public static <T> Outcome<T> reject(AuthReject reason, String message) {
        return new Outcome<>(null, Verdict.reject(reason, message));
    }

    public static <T> Outcome<T> reject(Verdict verdict) {
        if (verdict.isOk()) {
            throw new IllegalArgumentException("not a reject");
        }
        return new Outcome<>(null, verdict);
    }

    public boolean isOk() {
        return verdict.isOk();
    }

    /**
     * The value.
     *
     * @throws IllegalStateException if this is a reject
     */
    public T value() {
        if (!isOk()) {
            throw new IllegalStateException("no value: " + verdict);
        }
        return value;
    }

    /** Ok, or the reject. */
    public Verdict verdict() {
        return verdict;
    }

    @Override
    public String toString() {
        return isOk() ? "Ok[" + value + "]" : verdict.toString();
    }
}
