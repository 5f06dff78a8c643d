package io.meridian.app.demo;

import io.meridian.matching.BookView;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;

/**
 * Quotes a ladder of post-only (slide) orders on both sides of a fair price, skewed against its inventory, and
 * moves them with amends as the fair price moves, the way a real market maker keeps its queue slots busy.
 */
final class MarketMaker {
    private final long account;
    private final int instrument;
    private final int levels;
    private final long halfSpreadTicks;
    private final long stepTicks;
    private final long sizeLots;
    private final long skewTicksPerLot;
    private final long[] bidIds;
    private final long[] askIds;

    MarketMaker(long account, int instrument, int levels, long halfSpreadTicks, long stepTicks, long sizeLots,
                long skewTicksPerLot) {
        this.account = account;
        this.instrument = instrument;
        this.levels = levels;
        this.halfSpreadTicks = halfSpreadTicks;
        this.stepTicks = stepTicks;
        this.sizeLots = sizeLots;
        this.skewTicksPerLot = skewTicksPerLot;
        this.bidIds = new long[levels];
        this.askIds = new long[levels];
    }

    long account() {
        return account;
    }

    int instrument() {
        return instrument;
    }

    void requote(DemoVenue venue, long fair, long now) {
        long position = venue.engine().view().positions(instrument).size(account);
        long skew = -position * skewTicksPerLot;
        for (int i = 0; i < levels; i++) {
            bidIds[i] = quote(venue, bidIds[i], Side.BUY, fair + skew - halfSpreadTicks - i * stepTicks, now);
            askIds[i] = quote(venue, askIds[i], Side.SELL, fair + skew + halfSpreadTicks + i * stepTicks, now);
        }
    }

    private long quote(DemoVenue venue, long orderId, Side side, long price, long now) {
        if (price <= 0) {
            return orderId;
        }
        DemoVenue.OpenOrder open = orderId == 0 ? null : venue.openOrder(orderId);
        if (open == null) {
            Command c = venue.command();
            c.type = CommandType.PLACE_ORDER;
            c.account = account;
            c.instrument = instrument;
            c.side = side;
            c.orderType = OrderType.LIMIT;
            c.timeInForce = TimeInForce.GTC;
            c.price = price;
            c.quantity = sizeLots;
            c.postOnly = PostOnly.SLIDE;
            c.selfTradePrevention = SelfTradePrevention.EXPIRE_MAKER;
            return venue.submit(c, now);
        }
        // A post-only slide would reprice a crossing target to one tick behind the best opposite price anyway;
        // aiming there directly keeps the amend from being a no-op.
        BookView book = venue.engine().view().book(instrument);
        long bestOpposite = side == Side.BUY ? book.bestAsk() : book.bestBid();
        long target = price;
        if (bestOpposite != 0 && (side == Side.BUY ? price >= bestOpposite : price <= bestOpposite)) {
            target = bestOpposite - side.sign();
        }
        if (open.price != target && target > 0) {
            venue.submit(venue.command().amend(account, instrument, orderId, target, 0), now);
        }
        return orderId;
    }
}
