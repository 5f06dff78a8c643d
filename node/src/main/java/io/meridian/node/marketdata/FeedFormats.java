package io.meridian.node.marketdata;

import io.meridian.model.InstrumentSpec;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * What the publisher needs to write an instrument's or an asset's numbers as the API's decimals: each instrument's
 * tick and lot, its settlement asset and scale, its expiry, and for an option the price unit of the index it settles
 * on; each asset's scale and symbol. Filled at start, before the publisher thread starts, and only read afterwards (the thread's
 * start orders the writes before its reads).
 */
public final class FeedFormats {
    /** One instrument's units. {@code indexUnit} is null unless it is an option with a known index. */
    public record Instrument(DecimalStep tick, DecimalStep lot, int settlementScale, String settle, long expiry,
                             DecimalStep indexUnit) {
    }

    private final Map<Integer, Instrument> instruments = new HashMap<>();
    private final Map<Integer, Integer> assetScales = new HashMap<>();
    private final Map<Integer, String> assetSymbols = new HashMap<>();

    /** Adds an instrument; {@code indexDecimals} is the decimals of the index an option settles on, or null. */
    public void instrument(InstrumentSpec spec, Integer indexDecimals) {
        instruments.put(spec.id(), new Instrument(DecimalStep.of(spec.tickSize()), DecimalStep.of(spec.lotSize()),
                spec.settlementScale(), spec.settlementAsset(), spec.expiryTimestamp(),
                indexDecimals == null ? null : DecimalStep.of(BigDecimal.ONE.movePointLeft(indexDecimals))));
    }

    public void assetScale(int asset, int scale) {
        assetScales.put(asset, scale);
    }

    /** The instrument's units, or null when it is not listed. */
    public Instrument of(int instrument) {
        return instruments.get(instrument);
    }

    public int assetScale(int asset) {
        return assetScales.getOrDefault(asset, 0);
    }

    public void assetSymbol(int asset, String symbol) {
        assetSymbols.put(asset, symbol);
    }

    /** The asset's symbol (as REST names it), or null when it is not configured. */
    public String assetSymbol(int asset) {
        return assetSymbols.get(asset);
    }
}
