package io.meridian.node;

import io.meridian.model.CommandType;
import io.meridian.node.metrics.NodeMeters;

/**
 * A command's reply that records, on the engine thread when the answer comes, the time since its submit and its type
 * and reject reason ({@link NodeMeters#completed}). Made on the submitting thread, so the engine thread allocates
 * nothing for it.
 */
final class TimedReply implements EngineLoop.Reply {
    private final EngineLoop.Reply reply;
    private final NodeMeters meters;
    private final CommandType type;
    private final long submitted;

    TimedReply(EngineLoop.Reply reply, NodeMeters meters, CommandType type, long submitted) {
        this.reply = reply;
        this.meters = meters;
        this.type = type;
        this.submitted = submitted;
    }

    @Override
    public void complete(EngineLoop.Result result) {
        meters.completed(type, result.reject(), System.nanoTime() - submitted);
        reply.complete(result);
    }
}
