package io.meridian.node.http;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.node.NodeConfig;
import io.meridian.node.codec.Ids;
import io.meridian.node.codec.Orders;
import io.meridian.node.codec.InstrumentRef;
import io.meridian.node.codec.RequestException;
import io.meridian.node.codec.Units;

import java.math.BigDecimal;
import java.util.List;

import static io.netty.handler.codec.http.HttpMethod.POST;

/**
 * The operator's routes of a dev-mode node (the demo and tests): marks, surfaces and oracle reports without signatures,
 * and deposits. {@link AuthRequirement#DEV_ONLY}: a node not in dev mode does not serve them (404).
 */
final class DevRoutes {
    /** A mark price: {@code price} in the instrument's units. */
    record MarkRequest(InstrumentRef instrument, BigDecimal price) {
    }

    /** A deposit: {@code amount} in whole units of the asset (a decimal), to an account id or an address. */
    record DepositRequest(Long account, int asset, BigDecimal amount, String address) {
    }

    /** An oracle price report: {@code price} (a decimal in the index's units) from one source. */
    record OracleRequest(int index, int source, BigDecimal price) {
    }

    private final Gateway gateway;
    private final FeedRoutes feeds;

    DevRoutes(Gateway gateway, FeedRoutes feeds) {
        this.gateway = gateway;
        this.feeds = feeds;
    }

    List<Route> routes() {
        AuthRequirement dev = AuthRequirement.DEV_ONLY;
        return List.of(
                Route.of(POST, "/v1/dev/mark", dev, RateClass.DEV, this::mark),
                Route.of(POST, "/v1/dev/surface", dev, RateClass.DEV, this::surface),
                Route.of(POST, "/v1/dev/oracle", dev, RateClass.DEV, this::oracle),
                Route.of(POST, "/v1/dev/deposit", dev, RateClass.DEV, this::deposit));
    }

    /** {@code POST /v1/dev/mark}: SET_MARK_PRICE. */
    private void mark(Exchange x) throws RequestException {
        MarkRequest mark = x.body(MarkRequest.class);
        InstrumentSpec spec = gateway.instruments().resolve(mark.instrument(), "instrument");
        Command c = new Command().reset();
        c.type = CommandType.SET_MARK_PRICE;
        c.instrument = spec.id();
        c.price = Units.units(mark.price(), spec.tickSize(), "price");
        gateway.command(c, null, x.context().channel(), x.responder());
    }

    /** {@code POST /v1/dev/surface}: as {@code /v1/surface} without its signature and timestamp. */
    private void surface(Exchange x) throws RequestException {
        FeedRoutes.SurfaceRequest surface = x.body(FeedRoutes.SurfaceRequest.class);
        feeds.markFromSurface(x, feeds.configuredIndex(surface.index(), surface.quotes()), surface);
    }

    /** {@code POST /v1/dev/oracle}: one unsigned oracle report, stamped with the node's clock. */
    private void oracle(Exchange x) throws RequestException {
        OracleRequest report = x.body(OracleRequest.class);
        NodeConfig.Index index = feeds.indexWithSource(report.index(), report.source());
        long units = Units.units(report.price(), Units.unitOf(index.priceDecimals()), "price");
        // The source's own time is the node's clock here: a dev feed reports as it sends.
        gateway.command(new Command().oracleReport(index.id(), report.source(), units, gateway.engine().now()), null,
                x.context().channel(), x.responder());
    }

    /** {@code POST /v1/dev/deposit}: credits an account id, or an address (opening its account on the first). */
    private void deposit(Exchange x) throws RequestException {
        DepositRequest deposit = x.body(DepositRequest.class);
        NodeConfig.Asset asset = gateway.asset(deposit.asset());
        if (asset == null) {
            throw RequestException.badField("asset: no asset " + deposit.asset());
        }
        long minor = Units.units(deposit.amount(), Units.unitOf(asset.scale()), "amount");
        Command c = new Command().deposit(Orders.accountId(deposit.account()), asset.id(), minor);
        if (deposit.address() != null) {
            // As a bridge credits an address: the engine opens the address's account on its first deposit.
            c.address = Ids.address(deposit.address(), "address");
        }
        gateway.command(c, null, x.context().channel(), x.responder());
    }
}
