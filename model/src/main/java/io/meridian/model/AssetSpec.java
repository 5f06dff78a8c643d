package io.meridian.model;

/**
 * A collateral or settlement asset. Balances are long counts of minor units: {@code scale} decimal places, so USDC
 * at scale 6 stores 1.5 USDC as 1,500,000. Assets with more decimals than a long can carry usefully (ETH's 18) are
 * truncated to a chosen scale at the edge; deposits finer than the scale are rejected, never rounded.
 *
 * @param id     dense asset id chosen by the operator (0 and up)
 * @param symbol e.g. "USDC"
 * @param scale  decimal places of the minor unit, 0 to 18
 */
public record AssetSpec(int id, String symbol, int scale) {

    /** Returns null when usable, else {@link RejectReason#INVALID_ASSET}. */
    public RejectReason validate() {
        boolean ok = id >= 0 && symbol != null && !symbol.isBlank() && scale >= 0
                && scale <= InstrumentSpec.MAX_SETTLEMENT_SCALE;
        return ok ? null : RejectReason.INVALID_ASSET;
    }

    /** Amount string to minor units; rejects malformed, too many decimals and out-of-range values. */
    public Parsed parseAmount(String text) {
        return Decimals.toScaled(text, scale);
    }

    public String format(long minorUnits) {
        return Decimals.format(minorUnits, scale);
    }
}
