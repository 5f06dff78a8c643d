package io.meridian.benchmarks;

/** A workload that cannot be used, with a message fit for the user (file and line number included). */
public final class WorkloadException extends Exception {
    private static final long serialVersionUID = 1L;

    public WorkloadException(String message) {
        super(message);
    }

    public WorkloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
