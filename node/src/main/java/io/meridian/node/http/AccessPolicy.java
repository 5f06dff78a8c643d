package io.meridian.node.http;

import io.meridian.auth.Address;
import io.meridian.node.access.Access;
import io.meridian.node.access.ReadTokens;
import io.meridian.node.codec.Ids;
import io.meridian.node.codec.RequestException;

/**
 * The one place where a route's {@link AuthRequirement} is enforced before its handler runs: the router calls
 * {@link #admit} with the matched row and the request, after the route matched and before the body is read.
 *
 * <ul>
 * <li>{@link AuthRequirement#DEV_ONLY} routes exist only on a dev-mode node (elsewhere 404, as an unknown path; the
 * router leaves them out of the table as well).</li>
 * <li>{@link AuthRequirement#PRIVATE_READ} routes, on a node in auth mode signed, need a read token
 * ({@link ReadTokens#HEADER}) that covers the account the request names, by {@code ?account=}, {@code ?address=} or
 * the path; a request that names none reads the token's own account. 401 without a valid token, 403 when it covers
 * another account or the account does not exist (one answer for both, so ids and addresses cannot be probed). In auth
 * mode open (development) reads by account id stay open, as every request by account id is.</li>
 * <li>{@link AuthRequirement#SIGNED_COMMAND} and {@link AuthRequirement#FEED} routes prove themselves with the
 * signature their handler verifies over the command or report they carry, which only exists once the body is
 * decoded ({@link Gateway#admit}).</li>
 * </ul>
 */
public final class AccessPolicy {
    private final boolean devMode;
    private final Gateway gateway;

    /** @param gateway what reads are checked against; null for a policy that only hides dev routes (tests) */
    public AccessPolicy(boolean devMode, Gateway gateway) {
        this.devMode = devMode;
        this.gateway = gateway;
    }

    /**
     * Refuses the request (thrown) when its caller may not use {@code route}; otherwise the exchange to serve, which
     * for a private read that named no account names the token's. Runs on the connection's I/O thread.
     */
    public Exchange admit(Route route, Exchange exchange) throws RequestException {
        switch (route.auth()) {
            case DEV_ONLY -> {
                if (!devMode) {
                    throw RequestException.notFound("no route " + route.method() + " " + exchange.path());
                }
                return exchange;
            }
            case PRIVATE_READ -> {
                return gateway == null || !gateway.readsNeedTokens() ? exchange : ownRead(exchange);
            }
            case PUBLIC, SIGNED_COMMAND, FEED -> {
                return exchange;
            }
            default -> throw new IllegalStateException("unhandled auth requirement " + route.auth());
        }
    }

    /** A private read in signed mode: the token's account must be the one the request names (or is given it). */
    private Exchange ownRead(Exchange x) throws RequestException {
        Access access = gateway.access();
        long readable = access.readableAccount(x.header(ReadTokens.HEADER), x.context().channel());
        String inPath = x.parameter("account");
        long named;
        if (inPath != null) {
            named = inPath.startsWith("0x") || inPath.startsWith("0X") ? accountOf(inPath)
                    : Ids.number(inPath, "account");
        } else if (x.hasQuery("account")) {
            named = Ids.number(x.query("account"), "account");
        } else if (x.hasQuery("address")) {
            named = accountOf(x.query("address"));
        } else {
            return x.withQuery("account", Long.toString(readable));
        }
        if (named != readable) {
            throw Access.forbidden();
        }
        return x;
    }

    private long accountOf(String address) throws RequestException {
        return gateway.access().mirror().accountOf(Address.of(Ids.address(address, "address")));
    }
}
