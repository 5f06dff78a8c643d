package io.meridian.client;

/** The node refused a request: the HTTP status, and the error's {@code code} and {@code message} from its body. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final int code;

    public ApiException(int status, int code, String message) {
        super(status + " " + code + ": " + message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** The gateway's or the engine's reject code. */
    public int code() {
        return code;
    }
}
