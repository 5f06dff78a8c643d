package io.meridian.node;

import io.meridian.node.marketdata.StreamLimits;
import io.meridian.node.marketdata.Subscriber;
import io.meridian.node.marketdata.Subscriptions;

import java.util.concurrent.CompletableFuture;

/**
 * The WebSocket subscription requests of {@link EngineLoop} (split out of it): each is decided on the engine thread
 * (a query, so in order with the commands) by the market data's producer side, and a removal completes once the
 * publisher has applied it. Called on the connections' I/O threads.
 */
final class StreamRequests {
    private final EngineLoop engine;
    private final MarketData marketData;

    StreamRequests(EngineLoop engine, MarketData marketData) {
        this.engine = engine;
        this.marketData = marketData;
    }

    /**
     * I/O thread: subscribes {@code channel} to an instrument's book stream (docs/api.md, "WebSocket"): on the engine
     * thread the L2 snapshot is taken and the subscription registered in one step, stamped with its place among the
     * events, so the publisher sends the snapshot exactly between the deltas it reflects and the ones it does not.
     * Refused with an error frame (code 429) when the connection has {@link StreamLimits#maxSnapshotsInFlight}
     * snapshots outstanding or is at a subscription cap, 503 when the engine's queue is full. Completes with whether
     * it was taken.
     */
    CompletableFuture<Boolean> subscribe(io.netty.channel.Channel channel, int instrument, int depth, Long id) {
        Subscriber s = Subscriber.of(channel, marketData.feed());
        if (!s.reserveSnapshot()) {
            marketData.producer().subscriptions().countRefusal();
            s.refuse(Subscriptions.REFUSED, "at most " + marketData.limits().maxSnapshotsInFlight() + " book"
                    + " subscriptions (snapshots) in flight per connection; wait for a snapshot before the next", id);
            return CompletableFuture.completedFuture(Boolean.FALSE);
        }
        return refusedIfQueueFull(s, engine.query(e -> marketData.producer().subscribe(e, s, instrument, depth, id)),
                true, id);
    }

    /**
     * I/O thread: subscribes {@code channel} to one account's private stream (refused as above, over a cap); it starts
     * with a {@code subscribed} message naming the account (and {@code address}, how the client named it, if it did).
     */
    CompletableFuture<Boolean> subscribeAccount(io.netty.channel.Channel channel, long account, String address,
                                                Long id) {
        Subscriber s = Subscriber.of(channel, marketData.feed());
        return refusedIfQueueFull(s, engine.query(e -> marketData.producer().subscribeAccount(e, s, account, address,
                id)), false, id);
    }

    /**
     * I/O thread: subscribes {@code channel} to a public channel other than the book ({@code trades}, {@code ticker},
     * {@code funding}, {@code liquidations}; {@link io.meridian.node.marketdata.Channels}) of the instrument, decided
     * on the engine thread in order with the commands (refused as above, and the funding of an instrument without
     * funding).
     */
    CompletableFuture<Boolean> subscribeChannel(io.netty.channel.Channel channel, int kind, int instrument, Long id) {
        Subscriber s = Subscriber.of(channel, marketData.feed());
        return refusedIfQueueFull(s, engine.query(e -> marketData.subscribeChannel(e, s, kind, instrument, id)),
                false, id);
    }

    private static CompletableFuture<Boolean> refusedIfQueueFull(Subscriber s, CompletableFuture<Boolean> queued,
                                                                 boolean snapshot, Long id) {
        return queued.exceptionally(failure -> {
            if (snapshot) {
                s.releaseSnapshot();
            }
            s.refuse(io.meridian.node.codec.Codes.OVERLOADED, "engine queue full, retry", id);
            return Boolean.FALSE;
        });
    }

    /**
     * Stops every stream to {@code channel}; completes once no message of them follows (so an acknowledgement written
     * after it is the last thing of those streams the client reads). At once for a connection that never subscribed.
     */
    CompletableFuture<Boolean> unsubscribe(io.netty.channel.Channel channel) {
        return removal(channel, (s, done) -> marketData.producer().unsubscribeAll(s, done));
    }

    /** Stops one instrument's book stream to {@code channel}; completes as {@link #unsubscribe} does. */
    CompletableFuture<Boolean> unsubscribeInstrument(io.netty.channel.Channel channel, int instrument) {
        return removal(channel, (s, done) -> marketData.producer().unsubscribeBook(s, instrument, done));
    }

    /** Stops one public channel's stream (not the book) to {@code channel}; completes as {@link #unsubscribe} does. */
    CompletableFuture<Boolean> unsubscribeChannel(io.netty.channel.Channel channel, int kind, int instrument) {
        return removal(channel, (s, done) -> marketData.producer().unsubscribeChannel(s, kind, instrument, done));
    }

    /** Stops one account's private stream to {@code channel}; completes as {@link #unsubscribe} does. */
    CompletableFuture<Boolean> unsubscribeAccount(io.netty.channel.Channel channel, long account) {
        return removal(channel, (s, done) -> marketData.producer().unsubscribeAccount(s, account, done));
    }

    /**
     * Runs {@code removal} on the engine thread with a future the publisher completes; if the engine's queue refuses
     * the query (full, or the engine stopped) the future fails with that reason instead.
     */
    private CompletableFuture<Boolean> removal(io.netty.channel.Channel channel,
                                               java.util.function.BiConsumer<Subscriber, CompletableFuture<Boolean>> removal) {
        Subscriber s = Subscriber.existing(channel);
        if (s == null) {
            return CompletableFuture.completedFuture(Boolean.TRUE);
        }
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        engine.query(e -> {
            removal.accept(s, done);
            return Boolean.TRUE;
        }).whenComplete((ok, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            }
        });
        return done;
    }
}
