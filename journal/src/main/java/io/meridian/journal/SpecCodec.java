package io.meridian.journal;

import io.meridian.model.AssetSpec;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentKind;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.MarginBracket;
import io.meridian.model.OptionMarginSpec;
import io.meridian.model.OptionRight;
import io.meridian.model.OptionSpec;
import io.meridian.model.PricingSpec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The nested records of {@link CommandCodec}'s format (instrument, asset, option, option-margin, pricing and index
 * specs, margin brackets), each a presence byte (0 = null, 1 = present; a pricing spec also 2, see there) and then
 * its components in declaration order, over the codec's {@link CodecCursor}. Refuses what {@link CommandCodec}
 * refuses, with {@link CodecException}; every count is checked against the bytes left before anything is allocated.
 * Confined, like its codec, to one thread.
 */
final class SpecCodec {
    /**
     * Presence byte of a pricing spec that carries {@code markBandPpm}; 1 is the earlier layout without it, which the
     * decoder still reads.
     */
    private static final byte PRICING_SPEC_WITH_BAND = 2;
    private static final InstrumentKind[] KINDS = InstrumentKind.values();
    private static final OptionRight[] RIGHTS = OptionRight.values();

    private final CodecCursor cursor;

    SpecCodec(CodecCursor cursor) {
        this.cursor = cursor;
    }

    void putInstrumentSpec(InstrumentSpec s) {
        if (cursor.putNull(s)) {
            return;
        }
        cursor.putZigZag(s.id());
        cursor.putString(s.symbol());
        cursor.putEnum(s.kind());
        cursor.putString(s.baseAsset());
        cursor.putString(s.settlementAsset());
        cursor.putZigZag(s.settlementScale());
        cursor.putDecimal(s.tickSize());
        cursor.putDecimal(s.lotSize());
        cursor.putDecimal(s.contractMultiplier());
        cursor.putZigZag(s.minQuantity());
        cursor.putZigZag(s.maxQuantity());
        cursor.putZigZag(s.maxPrice());
        cursor.putZigZag(s.priceBandPpm());
        cursor.putZigZag(s.marketProtectionPpm());
        cursor.putZigZag(s.makerFeePpm());
        cursor.putZigZag(s.takerFeePpm());
        cursor.putZigZag(s.expiryTimestamp());
    }

    InstrumentSpec getInstrumentSpec() {
        if (!cursor.getPresent("instrumentSpec")) {
            return null;
        }
        int id = cursor.getInt("instrumentSpec.id");
        String symbol = cursor.getString("instrumentSpec.symbol");
        int kind = cursor.getEnum(KINDS.length, "instrument kind");
        String base = cursor.getString("instrumentSpec.baseAsset");
        String settlement = cursor.getString("instrumentSpec.settlementAsset");
        int scale = cursor.getInt("instrumentSpec.settlementScale");
        BigDecimal tick = cursor.getDecimal("instrumentSpec.tickSize");
        BigDecimal lot = cursor.getDecimal("instrumentSpec.lotSize");
        BigDecimal multiplier = cursor.getDecimal("instrumentSpec.contractMultiplier");
        long minQuantity = cursor.getZigZag();
        long maxQuantity = cursor.getZigZag();
        long maxPrice = cursor.getZigZag();
        long band = cursor.getZigZag();
        long protection = cursor.getZigZag();
        long maker = cursor.getZigZag();
        long taker = cursor.getZigZag();
        long expiry = cursor.getZigZag();
        try {
            return new InstrumentSpec(id, symbol, kind < 0 ? null : KINDS[kind], base, settlement, scale, tick, lot,
                    multiplier, minQuantity, maxQuantity, maxPrice, band, protection, maker, taker, expiry);
        } catch (RuntimeException e) {
            throw new CodecException("instrumentSpec refused by its constructor: " + e);
        }
    }

    void putAssetSpec(AssetSpec s) {
        if (cursor.putNull(s)) {
            return;
        }
        cursor.putZigZag(s.id());
        cursor.putString(s.symbol());
        cursor.putZigZag(s.scale());
    }

    AssetSpec getAssetSpec() {
        if (!cursor.getPresent("assetSpec")) {
            return null;
        }
        int id = cursor.getInt("assetSpec.id");
        String symbol = cursor.getString("assetSpec.symbol");
        int scale = cursor.getInt("assetSpec.scale");
        try {
            return new AssetSpec(id, symbol, scale);
        } catch (RuntimeException e) {
            throw new CodecException("assetSpec refused by its constructor: " + e);
        }
    }

    void putOptionSpec(OptionSpec s) {
        if (cursor.putNull(s)) {
            return;
        }
        cursor.putZigZag(s.indexId());
        cursor.putDecimal(s.strike());
        cursor.putEnum(s.right());
        cursor.putZigZag(s.settlementWindowNanos());
        cursor.putZigZag(s.initialVolPpm());
    }

    OptionSpec getOptionSpec() {
        if (!cursor.getPresent("optionSpec")) {
            return null;
        }
        int indexId = cursor.getInt("optionSpec.indexId");
        BigDecimal strike = cursor.getDecimal("optionSpec.strike");
        int right = cursor.getEnum(RIGHTS.length, "option right");
        long window = cursor.getZigZag();
        long vol = cursor.getZigZag();
        try {
            return new OptionSpec(indexId, strike, right < 0 ? null : RIGHTS[right], window, vol);
        } catch (RuntimeException e) {
            throw new CodecException("optionSpec refused by its constructor: " + e);
        }
    }

    void putOptionMarginSpec(OptionMarginSpec s) {
        if (cursor.putNull(s)) {
            return;
        }
        cursor.putZigZag(s.shortOptionRatePpm());
        cursor.putZigZag(s.shortOptionFloorPpm());
        cursor.putZigZag(s.futuresRatePpm());
        cursor.putZigZag(s.standardMaintenancePpm());
        // The record copies its lists with List.copyOf, so their elements are never null; the lists may be.
        List<Long> moves = s.priceMovesPpm();
        cursor.putCount(moves);
        if (moves != null) {
            for (Long move : moves) {
                cursor.putZigZag(move);
            }
        }
        List<OptionMarginSpec.Shock> shocks = s.volShocks();
        cursor.putCount(shocks);
        if (shocks != null) {
            for (OptionMarginSpec.Shock shock : shocks) {
                cursor.putZigZag(shock.relativePpm());
                cursor.putZigZag(shock.absolutePpm());
            }
        }
        cursor.putZigZag(s.volFloorPpm());
        cursor.putZigZag(s.volTermDays());
        cursor.putZigZag(s.volTermExponentPpm());
        cursor.putZigZag(s.shortOptionAddOnPpm());
        cursor.putZigZag(s.concentrationThresholdMicros());
        cursor.putZigZag(s.concentrationAddOnPpm());
        cursor.putZigZag(s.deltaBoundMicros());
        cursor.putZigZag(s.deltaAddOnPpm());
        cursor.putZigZag(s.portfolioMaintenancePpm());
    }

    OptionMarginSpec getOptionMarginSpec() {
        if (!cursor.getPresent("optionMarginSpec")) {
            return null;
        }
        long shortRate = cursor.getZigZag();
        long shortFloor = cursor.getZigZag();
        long futuresRate = cursor.getZigZag();
        long standardMaintenance = cursor.getZigZag();
        int moveCount = cursor.getCount("optionMarginSpec.priceMovesPpm");
        List<Long> moves = null;
        if (moveCount >= 0) {
            Long[] values = new Long[moveCount];
            for (int i = 0; i < moveCount; i++) {
                values[i] = cursor.getZigZag();
            }
            moves = Arrays.asList(values);
        }
        int shockCount = cursor.getCount("optionMarginSpec.volShocks");
        List<OptionMarginSpec.Shock> shocks = null;
        if (shockCount >= 0) {
            OptionMarginSpec.Shock[] values = new OptionMarginSpec.Shock[shockCount];
            for (int i = 0; i < shockCount; i++) {
                values[i] = new OptionMarginSpec.Shock(cursor.getZigZag(), cursor.getZigZag());
            }
            shocks = Arrays.asList(values);
        }
        long volFloor = cursor.getZigZag();
        long termDays = cursor.getZigZag();
        long termExponent = cursor.getZigZag();
        long shortAddOn = cursor.getZigZag();
        long concentrationThreshold = cursor.getZigZag();
        long concentrationAddOn = cursor.getZigZag();
        long deltaBound = cursor.getZigZag();
        long deltaAddOn = cursor.getZigZag();
        long portfolioMaintenance = cursor.getZigZag();
        return new OptionMarginSpec(shortRate, shortFloor, futuresRate, standardMaintenance, moves, shocks, volFloor,
                termDays, termExponent, shortAddOn, concentrationThreshold, concentrationAddOn, deltaBound, deltaAddOn,
                portfolioMaintenance);
    }

    /**
     * Presence byte {@link #PRICING_SPEC_WITH_BAND} (2), then the components in declaration order. Journals written
     * before the mark band existed carry presence byte 1 and no {@code markBandPpm}; they read with
     * {@link PricingSpec#DEFAULT_MARK_BAND_PPM}. Their marks were computed without a band (and from the top-of-book
     * mid), so a replay of such a journal decodes every command but computes marks under today's rules.
     */
    void putPricingSpec(PricingSpec s) {
        if (s == null) {
            cursor.putByte((byte) 0);
            return;
        }
        cursor.putByte(PRICING_SPEC_WITH_BAND);
        cursor.putZigZag(s.indexId());
        cursor.putZigZag(s.markEmaWindowNanos());
        cursor.putZigZag(s.fundingIntervalNanos());
        cursor.putZigZag(s.premiumSampleNanos());
        cursor.putZigZag(s.impactNotional());
        cursor.putZigZag(s.interestRate8h());
        cursor.putZigZag(s.fundingClamp8h());
        cursor.putZigZag(s.maxFundingRate8h());
        cursor.putZigZag(s.markBandPpm());
    }

    PricingSpec getPricingSpec() {
        byte presence = cursor.getByte();
        if (presence != 0 && presence != 1 && presence != PRICING_SPEC_WITH_BAND) {
            throw new CodecException("pricingSpec: presence byte " + presence + " is neither 0, 1 nor 2");
        }
        if (presence == 0) {
            return null;
        }
        int indexId = cursor.getInt("pricingSpec.indexId");
        long ema = cursor.getZigZag();
        long interval = cursor.getZigZag();
        long sample = cursor.getZigZag();
        long impact = cursor.getZigZag();
        long interest = cursor.getZigZag();
        long clamp = cursor.getZigZag();
        long maxRate = cursor.getZigZag();
        long markBand = presence == PRICING_SPEC_WITH_BAND ? cursor.getZigZag() : PricingSpec.DEFAULT_MARK_BAND_PPM;
        try {
            return new PricingSpec(indexId, ema, interval, sample, impact, interest, clamp, maxRate, markBand);
        } catch (RuntimeException e) {
            throw new CodecException("pricingSpec refused by its constructor: " + e);
        }
    }

    void putIndexSpec(IndexSpec s) {
        if (cursor.putNull(s)) {
            return;
        }
        cursor.putZigZag(s.id());
        cursor.putString(s.symbol());
        cursor.putZigZag(s.priceDecimals());
        // IndexSpec copies its lists with List.copyOf, so their elements are never null; the lists themselves may be.
        List<String> sources = s.sources();
        cursor.putCount(sources);
        if (sources != null) {
            for (String source : sources) {
                cursor.putString(source);
            }
        }
        List<Long> weights = s.weights();
        cursor.putCount(weights);
        if (weights != null) {
            for (Long weight : weights) {
                cursor.putZigZag(weight);
            }
        }
        cursor.putZigZag(s.stalenessNanos());
        cursor.putZigZag(s.outlierBandPpm());
        cursor.putBoolean(s.dropOutliers());
        cursor.putZigZag(s.minFreshSources());
        cursor.putZigZag(s.maxMovePpmPerSecond()); // the slot of the former per-recompute maxMovePpm: older journals decode
        cursor.putZigZag(s.maxConfidencePpm());
        cursor.putBoolean(s.reduceOnlyWhenStale());
        cursor.putZigZag(s.divergenceWindowNanos());
        cursor.putZigZag(s.maxDivergencePpm());
        cursor.putBoolean(s.holdOnDivergence());
    }

    IndexSpec getIndexSpec() {
        if (!cursor.getPresent("indexSpec")) {
            return null;
        }
        int id = cursor.getInt("indexSpec.id");
        String symbol = cursor.getString("indexSpec.symbol");
        int decimals = cursor.getInt("indexSpec.priceDecimals");
        int sourceCount = cursor.getCount("indexSpec.sources");
        List<String> sources = null;
        if (sourceCount >= 0) {
            String[] names = new String[sourceCount];
            for (int i = 0; i < sourceCount; i++) {
                names[i] = cursor.getString("indexSpec.sources[" + i + "]");
                if (names[i] == null) {
                    throw new CodecException("indexSpec.sources[" + i + "] is null");
                }
            }
            sources = Arrays.asList(names);
        }
        int weightCount = cursor.getCount("indexSpec.weights");
        List<Long> weights = null;
        if (weightCount >= 0) {
            Long[] values = new Long[weightCount];
            for (int i = 0; i < weightCount; i++) {
                values[i] = cursor.getZigZag();
            }
            weights = Arrays.asList(values);
        }
        long staleness = cursor.getZigZag();
        long outlierBand = cursor.getZigZag();
        boolean drop = cursor.getBoolean("indexSpec.dropOutliers");
        int minFresh = cursor.getInt("indexSpec.minFreshSources");
        long maxMove = cursor.getZigZag();
        long maxConfidence = cursor.getZigZag();
        boolean reduceOnly = cursor.getBoolean("indexSpec.reduceOnlyWhenStale");
        long window = cursor.getZigZag();
        long divergence = cursor.getZigZag();
        boolean hold = cursor.getBoolean("indexSpec.holdOnDivergence");
        try {
            return new IndexSpec(id, symbol, decimals, sources, weights, staleness, outlierBand, drop, minFresh,
                    maxMove, maxConfidence, reduceOnly, window, divergence, hold);
        } catch (RuntimeException e) {
            throw new CodecException("indexSpec refused by its constructor: " + e);
        }
    }

    /** A mutable list may hold null brackets, so each element has its own presence byte. */
    void putBrackets(List<MarginBracket> brackets) {
        cursor.putCount(brackets);
        if (brackets == null) {
            return;
        }
        for (MarginBracket b : brackets) {
            if (cursor.putNull(b)) {
                continue;
            }
            cursor.putZigZag(b.notionalFloor());
            cursor.putZigZag(b.maintenanceRatePpm());
            cursor.putZigZag(b.initialRatePpm());
        }
    }

    List<MarginBracket> getBrackets() {
        int count = cursor.getCount("marginBrackets");
        if (count < 0) {
            return null;
        }
        List<MarginBracket> brackets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (!cursor.getPresent("marginBrackets[" + i + "]")) {
                brackets.add(null);
                continue;
            }
            long floor = cursor.getZigZag();
            long maintenance = cursor.getZigZag();
            long initial = cursor.getZigZag();
            try {
                brackets.add(new MarginBracket(floor, maintenance, initial));
            } catch (RuntimeException e) {
                throw new CodecException("marginBrackets[" + i + "] refused by its constructor: " + e);
            }
        }
        return Collections.unmodifiableList(brackets);
    }
}
