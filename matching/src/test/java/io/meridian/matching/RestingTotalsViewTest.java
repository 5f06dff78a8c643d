package io.meridian.matching;

import io.meridian.model.RestingTotals;
import io.meridian.model.Side;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The {@link RestingTotals} contract the margin engine keeps views by: one live view per account for the book's life,
 * current as orders rest, fill, shrink and leave, and a count that moves whenever an account gets its first one.
 */
class RestingTotalsViewTest {
    private static final long MAKER = 3;
    private static final long TAKER = 4;

    @Test
    void oneLiveViewPerAccountForTheBooksLife() {
        BookFixture f = new BookFixture();
        assertNull(f.book.restingTotals(MAKER), "no view before the account's first order here");
        long made = f.book.restingTotalsMade();

        long bid = f.limit(MAKER, Side.BUY, 1_000, 5);
        RestingTotals view = f.book.restingTotals(MAKER);
        assertEquals(made + 1, f.book.restingTotalsMade(), "the account's first order made its view");
        assertEquals(5, view.restingLots(Side.BUY));
        assertEquals(5_000, view.restingValue(Side.BUY));
        assertEquals(0, view.restingLots(Side.SELL));

        f.limit(MAKER, Side.SELL, 1_010, 2);
        f.ioc(TAKER, Side.SELL, 1_000, 3);
        assertEquals(2, view.restingLots(Side.BUY), "a partial fill shrinks it in place");
        assertEquals(2, view.restingLots(Side.SELL));
        assertEquals(made + 1, f.book.restingTotalsMade(), "a taker that never rests gets no view");

        f.amend(MAKER, bid, 990, 0);
        assertEquals(2 * 990, view.restingValue(Side.BUY), "an amend to a new price revalues it");
        f.cancelAll(MAKER);
        assertEquals(0, view.restingLots(Side.BUY), "all zeros once the account has no order left");
        assertEquals(0, view.restingValue(Side.SELL));
        assertSame(view, f.book.restingTotals(MAKER), "the same view while the account has none");

        f.limit(MAKER, Side.SELL, 1_020, 7);
        assertSame(view, f.book.restingTotals(MAKER), "the same view when it comes back");
        assertEquals(7, view.restingLots(Side.SELL));
        assertEquals(made + 1, f.book.restingTotalsMade(), "and no new one made");

        f.limit(TAKER, Side.BUY, 900, 1);
        assertEquals(made + 2, f.book.restingTotalsMade(), "another account's first resting order moves the count");
    }
}
