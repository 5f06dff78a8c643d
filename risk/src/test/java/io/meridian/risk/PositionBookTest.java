package io.meridian.risk;

import io.meridian.model.Side;
import io.meridian.model.StateHasher;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PositionBookTest {
    private static final long UNIT = 100;

    @Test
    void partialClosesRoundAgainstTheAccountAndAFullCloseIsExact() {
        PositionBook book = new PositionBook(1, UNIT);
        book.applyFill(7, Side.BUY, 100, 1);
        book.applyFill(7, Side.BUY, 101, 2);
        assertEquals(30_200, book.position(7).openValue());
        // Closing 1 of 3 lots: basis 30,200 / 3 = 10,066.67, rounded up to 10,067; exit 10,100; PnL 33, not 33.33.
        assertEquals(33, book.applyFill(7, Side.SELL, 101, 1));
        assertEquals(20_133, book.position(7).openValue());
        // The rest closes exactly: over the position's life PnL is 100 = 3 x 101 x 100 - 30,200.
        assertEquals(67, book.applyFill(7, Side.SELL, 101, 2));
        assertNull(book.position(7));
    }

    @Test
    void shortsRoundTheSameWay() {
        PositionBook book = new PositionBook(1, UNIT);
        book.applyFill(7, Side.SELL, 100, 1);
        book.applyFill(7, Side.SELL, 101, 2);
        assertEquals(-30_200, book.position(7).openValue());
        // Basis of 1 of 3: -10,066.67 rounded up to -10,066; exit -10,000; PnL 66 rather than 66.67.
        assertEquals(66, book.applyFill(7, Side.BUY, 100, 1));
        assertEquals(134, book.applyFill(7, Side.BUY, 100, 2));
    }

    @Test
    void aFillThroughZeroClosesThenOpensAtTheFillPrice() {
        PositionBook book = new PositionBook(1, UNIT);
        book.applyFill(7, Side.BUY, 100, 2);
        assertEquals(2 * 10 * UNIT, book.applyFill(7, Side.SELL, 110, 5));
        Position position = book.position(7);
        assertEquals(-3, position.size());
        assertEquals(-3 * 110 * UNIT, position.openValue());
        assertEquals(0, position.unrealizedPnl(110, UNIT));
        assertEquals(3 * 10 * UNIT, position.unrealizedPnl(100, UNIT));
        assertEquals(3 * 100 * UNIT, position.notional(100, UNIT));
        assertEquals(0, book.openInterest(), "a lone short has no long counterpart in this book");
    }

    @Test
    void openInterestCountsLongs() {
        PositionBook book = new PositionBook(1, UNIT);
        book.applyFill(1, Side.BUY, 100, 5);
        book.applyFill(2, Side.SELL, 100, 5);
        assertEquals(5, book.openInterest());
        book.applyFill(1, Side.SELL, 100, 2);
        book.applyFill(3, Side.BUY, 100, 2);
        assertEquals(5, book.openInterest());
        assertEquals(3, book.openPositions());
    }

    /**
     * Over any sequence of trades between a few accounts, the PnL realised by everyone plus the unrealised PnL of the
     * open positions at the last price is exactly zero, as it is for the trades themselves: rounding a partial close
     * only moves value between that close and the open lots' basis. Positions always net to zero.
     */
    @Property(tries = 200)
    void roundingMovesValueButNeverCreatesOrLosesIt(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400) int trades) {
        SplittableRandom random = new SplittableRandom(seed);
        PositionBook book = new PositionBook(1, UNIT);
        long realised = 0;
        long price = 1_000;
        for (int i = 0; i < trades; i++) {
            long buyer = 1 + random.nextInt(5);
            long seller = 1 + random.nextInt(5);
            if (buyer == seller) {
                continue;
            }
            price = Math.max(1, price + random.nextInt(21) - 10);
            long quantity = 1 + random.nextInt(9);
            realised += book.applyFill(buyer, Side.BUY, price, quantity);
            realised += book.applyFill(seller, Side.SELL, price, quantity);
        }
        long unrealised = 0;
        long net = 0;
        for (Position position : book.sortedPositions()) {
            unrealised += position.unrealizedPnl(price, UNIT);
            net += position.size();
        }
        assertEquals(0, net);
        assertEquals(0, realised + unrealised, "value created or lost by rounding");
        StateHasher a = new StateHasher();
        book.hashState(a);
        StateHasher b = new StateHasher();
        book.hashState(b);
        assertEquals(a.value(), b.value());
    }
}
