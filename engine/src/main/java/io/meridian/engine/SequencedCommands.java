package io.meridian.engine;

import io.meridian.model.Command;
import io.meridian.model.CommandType;

/**
 * What is decided about a command once its engine sequence is known, before it is recorded and applied, in one place
 * for every host that sequences commands (a node's journal, the cluster's members and the gateways' replicas, which
 * must all decide the same from the same state): a request by address names the address's account (0 when it has
 * none, for the engine to refuse), and an order without an order id gets its engine sequence as its id (so ids are
 * unique and need no coordination between gateways).
 */
public final class SequencedCommands {
    private SequencedCommands() {
    }

    /** Fills in the account and order id of {@code c}, which will be applied at {@code sequence} to {@code engine}. */
    public static void prepare(Engine engine, Command c, long sequence) {
        if (c.address != null && c.account == 0) {
            // Accounts are only ever opened, never rebound, so what is applied between now and the command can only
            // agree.
            c.account = engine.view().accountOfAddress(c.address);
        }
        if (c.type == CommandType.PLACE_ORDER && c.orderId == 0) {
            c.orderId = sequence;
        }
    }
}
