package io.meridian.node.http;

import io.meridian.node.codec.EdgeDecimals;
import io.meridian.node.codec.RequestException;

/**
 * The one place where a route's {@link AuthRequirement} is enforced before its handler runs: the router calls
 * {@link #admit} with the matched row and the request, after the route matched and before the body is read.
 *
 * <p>Today: {@link AuthRequirement#DEV_ONLY} routes exist only on a dev-mode node (elsewhere 404, as an unknown path;
 * the router leaves them out of the table as well); {@link AuthRequirement#PRIVATE_READ} routes are served without
 * proof, as before (read authentication is to be added here, from the route row and the request's headers or query);
 * {@link AuthRequirement#SIGNED_COMMAND} and {@link AuthRequirement#FEED} routes prove themselves with the signature
 * their handler verifies over the command or report they carry, which only exists once the body is decoded.
 */
public final class AccessPolicy {
    private final boolean devMode;

    public AccessPolicy(boolean devMode) {
        this.devMode = devMode;
    }

    /** Refuses the request (thrown) when its caller may not use {@code route}. Runs on the connection's I/O thread. */
    public void admit(Route route, Exchange exchange) throws RequestException {
        switch (route.auth()) {
            case DEV_ONLY -> {
                if (!devMode) {
                    throw RequestException.notFound("no route " + route.method() + " " + EdgeDecimals.clip(exchange.path()));
                }
            }
            case PUBLIC, PRIVATE_READ, SIGNED_COMMAND, FEED -> {
                // See the class comment: nothing to prove before the handler today.
            }
            default -> throw new IllegalStateException("unhandled auth requirement " + route.auth());
        }
    }
}
