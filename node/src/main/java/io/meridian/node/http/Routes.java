package io.meridian.node.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The gateway's route table: every REST route as a row (method, path, auth requirement, rate class, handler), gathered
 * from the resource class of its area. docs/api.md and docs/openapi.yaml document each row (RouteTableTest checks).
 */
public final class Routes {
    private Routes() {
    }

    /** Every row, dev-only ones included (the {@link Router} leaves those out on a node not in dev mode). */
    public static List<Route> table(Gateway gateway) {
        List<Route> table = new ArrayList<>();
        AccountRoutes accounts = new AccountRoutes(gateway);
        FeedRoutes feeds = new FeedRoutes(gateway);
        table.addAll(new AdminRoutes(gateway).routes());
        table.addAll(new MetricsRoutes(gateway).routes());
        table.addAll(new MarketDataRoutes(gateway).routes());
        table.addAll(accounts.routes());
        table.addAll(new OrderRoutes(gateway, accounts).routes());
        table.addAll(new TypedDataRoutes(gateway).routes());
        table.addAll(feeds.routes());
        table.addAll(new GovernanceRoutes(gateway).routes());
        table.addAll(new SettlementRoutes(gateway).routes());
        table.addAll(new DevRoutes(gateway, feeds).routes());
        table.addAll(new TerminalRoutes().routes());
        return Collections.unmodifiableList(table);
    }
}
