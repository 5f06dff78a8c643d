package io.meridian.node.fix;

import io.meridian.node.metrics.FixMeters;
import quickfix.FieldNotFound;
import quickfix.Message;
import quickfix.field.ExecType;
import quickfix.field.MsgType;

/**
 * Counts the FIX messages the acceptor's sessions pass in and out for /metrics ({@link FixMeters}): each message by
 * direction and level (administrative or application), the ResendRequests, and the rejects sent by kind. Called from
 * the application callbacks QuickFIX/J makes on the session's thread (and the sender thread), for every message it
 * sends and every message that passed its validation. Stateless.
 */
final class FixTraffic {
    private FixTraffic() {
    }

    /** A message that arrived (after QuickFIX/J's validation). */
    static void in(FixMeters meters, Message message, boolean admin) {
        meters.message(FixMeters.Direction.IN, admin);
        if (admin && MsgType.RESEND_REQUEST.equals(type(message))) {
            meters.resendRequest(FixMeters.Direction.IN);
        }
    }

    /** A message about to leave. */
    static void out(FixMeters meters, Message message, boolean admin) {
        meters.message(FixMeters.Direction.OUT, admin);
        String type = type(message);
        if (admin) {
            if (MsgType.RESEND_REQUEST.equals(type)) {
                meters.resendRequest(FixMeters.Direction.OUT);
            } else if (MsgType.REJECT.equals(type)) {
                meters.reject(FixMeters.Reject.SESSION);
            }
        } else if (MsgType.BUSINESS_MESSAGE_REJECT.equals(type)) {
            meters.reject(FixMeters.Reject.BUSINESS);
        } else if (MsgType.ORDER_CANCEL_REJECT.equals(type)) {
            meters.reject(FixMeters.Reject.CANCEL);
        } else if (MsgType.EXECUTION_REPORT.equals(type) && message.isSetField(ExecType.FIELD)) {
            try {
                if (message.getChar(ExecType.FIELD) == ExecType.REJECTED) {
                    meters.reject(FixMeters.Reject.ORDER);
                }
            } catch (FieldNotFound e) {
                // Checked just above: cannot happen.
            }
        }
    }

    private static String type(Message message) {
        try {
            return message.getHeader().getString(MsgType.FIELD);
        } catch (FieldNotFound e) {
            return "";
        }
    }
}
