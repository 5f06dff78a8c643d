package io.meridian.node.marketdata;

import io.meridian.model.BookSnapshot;
import io.meridian.model.InstrumentSpec;

/**
 * The REST book answer ({@code GET /v1/book/{instrument}}) written by hand, for the connection's I/O thread: the text
 * the map-and-Jackson path wrote ({@code {"instrument","sequence","l2Sequence","bids":[[price,qty]...],"asks":[...]}},
 * decimals as strings), at a fraction of its cost, so clients reading full-depth books take less of the machine from
 * everyone else. Stateless; any thread.
 */
public final class BookText {
    private BookText() {
    }

    public static String rest(BookSnapshot snapshot, InstrumentSpec spec) {
        DecimalStep tick = DecimalStep.of(spec.tickSize());
        DecimalStep lot = DecimalStep.of(spec.lotSize());
        JsonBytes out = new JsonBytes(64 + 48 * (snapshot.bids().size() + snapshot.asks().size()));
        out.ascii("{\"instrument\":").number(spec.id()).ascii(",\"sequence\":").number(snapshot.sequence())
                .ascii(",\"l2Sequence\":").number(snapshot.l2Sequence()).ascii(",\"bids\":");
        FeedEncoder.levels(out, snapshot.bids(), Integer.MAX_VALUE, tick, lot);
        out.ascii(",\"asks\":");
        FeedEncoder.levels(out, snapshot.asks(), Integer.MAX_VALUE, tick, lot);
        return out.ascii('}').toString();
    }
}
