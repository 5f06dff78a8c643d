package io.meridian.app.demo;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.OrderType;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;

import java.util.SplittableRandom;

/**
 * A liquidity taker: market and IOC orders in random directions, reduce-only exits when its position grows too
 * large, and now and then a short-lived GTD order, a GTD stop-limit on the last price or a stop-market on the mark
 * price, so the demo exercises most order types.
 */
final class Taker {
    private final long account;
    private final int instrument;
    private final long maxSizeLots;
    private final long positionLimitLots;

    Taker(long account, int instrument, long maxSizeLots, long positionLimitLots) {
        this.account = account;
        this.instrument = instrument;
        this.maxSizeLots = maxSizeLots;
        this.positionLimitLots = positionLimitLots;
    }

    long account() {
        return account;
    }

    int instrument() {
        return instrument;
    }

    void act(DemoVenue venue, SplittableRandom random, long fair, long now) {
        long position = venue.engine().view().positions(instrument).size(account);
        Command c = venue.command();
        c.type = CommandType.PLACE_ORDER;
        c.account = account;
        c.instrument = instrument;
        c.selfTradePrevention = SelfTradePrevention.EXPIRE_TAKER;
        c.quantity = 1 + random.nextLong(maxSizeLots);
        if (Math.abs(position) > positionLimitLots) {
            c.side = position > 0 ? Side.SELL : Side.BUY;
            c.orderType = OrderType.MARKET;
            c.timeInForce = TimeInForce.IOC;
            c.reduceOnly = true;
            c.quantity = Math.abs(position) / 2;
        } else {
            c.side = random.nextBoolean() ? Side.BUY : Side.SELL;
            int kind = random.nextInt(100);
            if (kind < 55) {
                c.orderType = OrderType.MARKET;
                c.timeInForce = TimeInForce.IOC;
            } else if (kind < 85) {
                c.orderType = OrderType.LIMIT;
                c.timeInForce = TimeInForce.IOC;
                c.price = fair + c.side.sign() * random.nextLong(1, fair / 2000 + 2);
            } else if (kind < 95) {
                c.orderType = OrderType.LIMIT;
                c.timeInForce = TimeInForce.GTD;
                c.price = fair - c.side.sign() * random.nextLong(1, fair / 500 + 2);
                c.expireAt = now + 2_000_000_000L;
            } else if (kind < 98) {
                c.orderType = OrderType.STOP_LIMIT;
                c.timeInForce = TimeInForce.GTD;
                c.triggerPrice = fair + c.side.sign() * (fair / 1000 + 1);
                c.price = c.triggerPrice + c.side.sign() * (fair / 1000 + 1);
                c.expireAt = now + 5_000_000_000L;
            } else {
                c.orderType = OrderType.STOP_MARKET;
                c.timeInForce = TimeInForce.IOC;
                c.triggerPrice = fair + c.side.sign() * (fair / 1000 + 1);
                c.triggerSource = TriggerSource.MARK;
            }
        }
        venue.submit(c, now);
    }
}
