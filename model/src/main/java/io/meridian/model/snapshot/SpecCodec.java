package io.meridian.model.snapshot;

import io.meridian.model.AssetSpec;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentKind;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionMarginSpec;
import io.meridian.model.OptionRight;
import io.meridian.model.OptionSpec;
import io.meridian.model.PricingSpec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The model's specs in snapshots, field by field in their records' order (every value exactly: a decimal keeps its
 * scale, a list its nullness, since state hashes include the specs' text). A spec read back is validated as the
 * engine validated it when it came in ({@code validate()}), so a damaged snapshot cannot smuggle in a spec no command
 * could have created.
 *
 * <p><b>Evolution.</b> A spec's layout is part of every section that writes it: a record that gains a field gets it
 * written last, and the sections holding that spec take a new format version whose reader passes the layout it was
 * written with (older layouts give the new field its default).
 */
public final class SpecCodec {
    /** Decimal scales beyond this are no spec's; refusing them keeps a damaged one from expanding to huge numbers. */
    private static final int MAX_DECIMAL_SCALE = 1000;
    /** Unscaled values beyond this many bytes (2^512) are no spec's either. */
    private static final int MAX_DECIMAL_BYTES = 64;

    private static final InstrumentKind[] KINDS = InstrumentKind.values();
    private static final OptionRight[] RIGHTS = OptionRight.values();

    private SpecCodec() {
    }

    /** A decimal as its scale and the two's-complement bytes of its unscaled value. */
    public static void writeDecimal(SnapshotWriter out, BigDecimal value) {
        out.writeVarInt(value.scale());
        out.writeBytes(value.unscaledValue().toByteArray());
    }

    public static BigDecimal readDecimal(SnapshotReader in) {
        int scale = in.readVarInt();
        if (scale < -MAX_DECIMAL_SCALE || scale > MAX_DECIMAL_SCALE) {
            throw in.fail("a decimal's scale is " + scale);
        }
        byte[] unscaled = in.readBytes();
        if (unscaled.length == 0 || unscaled.length > MAX_DECIMAL_BYTES) {
            throw in.fail("a decimal's unscaled value has " + unscaled.length + " bytes");
        }
        return new BigDecimal(new BigInteger(unscaled), scale);
    }

    public static void writeAsset(SnapshotWriter out, AssetSpec spec) {
        out.writeVarInt(spec.id());
        out.writeString(spec.symbol());
        out.writeVarInt(spec.scale());
    }

    public static AssetSpec readAsset(SnapshotReader in) {
        AssetSpec spec = new AssetSpec(in.readVarInt(), in.readString(), in.readVarInt());
        if (spec.validate() != null) {
            throw in.fail("invalid asset spec " + spec);
        }
        return spec;
    }

    public static void writeInstrument(SnapshotWriter out, InstrumentSpec spec) {
        out.writeVarInt(spec.id());
        out.writeString(spec.symbol());
        out.writeEnum(spec.kind());
        out.writeString(spec.baseAsset());
        out.writeString(spec.settlementAsset());
        out.writeVarInt(spec.settlementScale());
        writeDecimal(out, spec.tickSize());
        writeDecimal(out, spec.lotSize());
        writeDecimal(out, spec.contractMultiplier());
        out.writeVarLong(spec.minQuantity());
        out.writeVarLong(spec.maxQuantity());
        out.writeVarLong(spec.maxPrice());
        out.writeVarLong(spec.priceBandPpm());
        out.writeVarLong(spec.marketProtectionPpm());
        out.writeVarLong(spec.makerFeePpm());
        out.writeVarLong(spec.takerFeePpm());
        out.writeVarLong(spec.expiryTimestamp());
    }

    public static InstrumentSpec readInstrument(SnapshotReader in) {
        InstrumentSpec spec = new InstrumentSpec(in.readVarInt(), in.readString(),
                in.readRequiredEnum(KINDS, "instrument kind"), in.readString(), in.readString(), in.readVarInt(),
                readDecimal(in), readDecimal(in), readDecimal(in), in.readVarLong(), in.readVarLong(), in.readVarLong(),
                in.readVarLong(), in.readVarLong(), in.readVarLong(), in.readVarLong(), in.readVarLong());
        if (spec.validate() != null) {
            throw in.fail("invalid instrument spec " + spec);
        }
        return spec;
    }

    public static void writeIndex(SnapshotWriter out, IndexSpec spec) {
        out.writeVarInt(spec.id());
        out.writeString(spec.symbol());
        out.writeVarInt(spec.priceDecimals());
        out.writeCount(spec.sources().size());
        for (String source : spec.sources()) {
            out.writeString(source);
        }
        writeNullableLongs(out, spec.weights());
        out.writeVarLong(spec.stalenessNanos());
        out.writeVarLong(spec.outlierBandPpm());
        out.writeBoolean(spec.dropOutliers());
        out.writeVarInt(spec.minFreshSources());
        out.writeVarLong(spec.maxMovePpmPerSecond());
        out.writeVarLong(spec.maxConfidencePpm());
        out.writeBoolean(spec.reduceOnlyWhenStale());
        out.writeVarLong(spec.divergenceWindowNanos());
        out.writeVarLong(spec.maxDivergencePpm());
        out.writeBoolean(spec.holdOnDivergence());
    }

    public static IndexSpec readIndex(SnapshotReader in) {
        int id = in.readVarInt();
        String symbol = in.readString();
        int priceDecimals = in.readVarInt();
        int count = in.readCount(1);
        List<String> sources = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sources.add(in.readString());
        }
        IndexSpec spec = new IndexSpec(id, symbol, priceDecimals, sources, readNullableLongs(in), in.readVarLong(),
                in.readVarLong(), in.readBoolean(), in.readVarInt(), in.readVarLong(), in.readVarLong(), in.readBoolean(),
                in.readVarLong(), in.readVarLong(), in.readBoolean());
        if (spec.validate() != null) {
            throw in.fail("invalid index spec " + spec);
        }
        return spec;
    }

    public static void writePricing(SnapshotWriter out, PricingSpec spec) {
        out.writeVarInt(spec.indexId());
        out.writeVarLong(spec.markEmaWindowNanos());
        out.writeVarLong(spec.fundingIntervalNanos());
        out.writeVarLong(spec.premiumSampleNanos());
        out.writeVarLong(spec.impactNotional());
        out.writeVarLong(spec.interestRate8h());
        out.writeVarLong(spec.fundingClamp8h());
        out.writeVarLong(spec.maxFundingRate8h());
        out.writeVarLong(spec.markBandPpm());
    }

    public static PricingSpec readPricing(SnapshotReader in) {
        PricingSpec spec = new PricingSpec(in.readVarInt(), in.readVarLong(), in.readVarLong(), in.readVarLong(),
                in.readVarLong(), in.readVarLong(), in.readVarLong(), in.readVarLong(), in.readVarLong());
        if (spec.validate() != null) {
            throw in.fail("invalid pricing spec " + spec);
        }
        return spec;
    }

    public static void writeOption(SnapshotWriter out, OptionSpec spec) {
        out.writeVarInt(spec.indexId());
        writeDecimal(out, spec.strike());
        out.writeEnum(spec.right());
        out.writeVarLong(spec.settlementWindowNanos());
        out.writeVarLong(spec.initialVolPpm());
    }

    public static OptionSpec readOption(SnapshotReader in) {
        OptionSpec spec = new OptionSpec(in.readVarInt(), readDecimal(in), in.readRequiredEnum(RIGHTS, "option right"),
                in.readVarLong(), in.readVarLong());
        if (spec.validate() != null) {
            throw in.fail("invalid option spec " + spec);
        }
        return spec;
    }

    /** The option margin parameters as set (the engine checks them again: OptionMarginSpecs.problem). */
    public static void writeOptionMargin(SnapshotWriter out, OptionMarginSpec spec) {
        out.writeVarLong(spec.shortOptionRatePpm());
        out.writeVarLong(spec.shortOptionFloorPpm());
        out.writeVarLong(spec.futuresRatePpm());
        out.writeVarLong(spec.standardMaintenancePpm());
        writeNullableLongs(out, spec.priceMovesPpm());
        if (spec.volShocks() == null) {
            out.writeCount(0);
        } else {
            out.writeCount(spec.volShocks().size() + 1L);
            for (OptionMarginSpec.Shock shock : spec.volShocks()) {
                out.writeVarLong(shock.relativePpm());
                out.writeVarLong(shock.absolutePpm());
            }
        }
        out.writeVarLong(spec.volFloorPpm());
        out.writeVarLong(spec.volTermDays());
        out.writeVarLong(spec.volTermExponentPpm());
        out.writeVarLong(spec.shortOptionAddOnPpm());
        out.writeVarLong(spec.concentrationThresholdMicros());
        out.writeVarLong(spec.concentrationAddOnPpm());
        out.writeVarLong(spec.deltaBoundMicros());
        out.writeVarLong(spec.deltaAddOnPpm());
        out.writeVarLong(spec.portfolioMaintenancePpm());
    }

    public static OptionMarginSpec readOptionMargin(SnapshotReader in) {
        long shortOptionRate = in.readVarLong();
        long shortOptionFloor = in.readVarLong();
        long futuresRate = in.readVarLong();
        long standardMaintenance = in.readVarLong();
        List<Long> moves = readNullableLongs(in);
        int shocksPlusOne = in.readCount(1);
        List<OptionMarginSpec.Shock> shocks = null;
        if (shocksPlusOne > 0) {
            shocks = new ArrayList<>(shocksPlusOne - 1);
            for (int i = 0; i < shocksPlusOne - 1; i++) {
                shocks.add(new OptionMarginSpec.Shock(in.readVarLong(), in.readVarLong()));
            }
        }
        return new OptionMarginSpec(shortOptionRate, shortOptionFloor, futuresRate, standardMaintenance, moves, shocks,
                in.readVarLong(), in.readVarLong(), in.readVarLong(), in.readVarLong(), in.readVarLong(), in.readVarLong(),
                in.readVarLong(), in.readVarLong(), in.readVarLong());
    }

    /** A list of longs that may be null: {@code size + 1} then the values, or 0. */
    public static void writeNullableLongs(SnapshotWriter out, List<Long> values) {
        if (values == null) {
            out.writeCount(0);
            return;
        }
        out.writeCount(values.size() + 1L);
        for (long value : values) {
            out.writeVarLong(value);
        }
    }

    public static List<Long> readNullableLongs(SnapshotReader in) {
        int sizePlusOne = in.readCount(1);
        if (sizePlusOne == 0) {
            return null;
        }
        List<Long> values = new ArrayList<>(sizePlusOne - 1);
        for (int i = 0; i < sizePlusOne - 1; i++) {
            values.add(in.readVarLong());
        }
        return values;
    }
}
