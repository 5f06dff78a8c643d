package io.meridian.cluster;

import io.meridian.engine.Engine;
import io.meridian.model.Command;
import io.meridian.model.CommandType;

/**
 * What the cluster decides about a command as it applies it, in one place for the members' service and the gateways'
 * replicas (which must decide the same, from the same state, to stay equal): a request by address names the
 * address's account (0 when it has none, for the engine to refuse), and an order without an order id gets the
 * command's engine sequence as its id, as on a single node (so ids are unique and need no coordination between
 * gateways).
 */
public final class ClusterCommands {
    private ClusterCommands() {
    }

    /** Fills in the account and order id of a command stamped with its engine sequence, before it is applied. */
    public static void prepare(Engine engine, Command c) {
        if (c.address != null && c.account == 0) {
            c.account = engine.view().accountOfAddress(c.address);
        }
        if (c.type == CommandType.PLACE_ORDER && c.orderId == 0) {
            c.orderId = c.sequence;
        }
    }
}
