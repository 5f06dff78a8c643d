package io.meridian.engine;

import io.meridian.ledger.Ledger;
import io.meridian.matching.OrderBook;
import io.meridian.model.AssetSpec;
import io.meridian.model.EngineEvents;
import io.meridian.model.InstrumentKind;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.snapshot.SnapshotFormatException;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.model.snapshot.SpecCodec;
import io.meridian.pricing.InstrumentPricing;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.PositionBook;
import io.meridian.risk.margin.MarginModel;
import io.meridian.risk.margin.MarginSchedule;
import io.meridian.risk.margin.MarginTier;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's part of a snapshot: which components are written, in which order, each as one section
 * ({@link SnapshotWriter#beginSection}: tag, format version, length, payload), and how a new engine is restored from
 * them (docs/journal.md, "Snapshots", has the table). The engine's settings come first, in a section of tag
 * {@link #SETTINGS} that whoever holds the settings writes (the journal: {@code EngineSnapshots}); {@link #read} gets
 * them back as an {@link EngineConfig}.
 *
 * <p><b>Restoring.</b> {@link #read} makes a new {@code Engine(events, config)}, so its constructors run and wire it
 * as for any engine (listeners, the margin venue, the liquidator's hooks: none of them is ever in a snapshot), then
 * each section restores its component into it: assets and balances, indexes, the instruments (their clearing, book and
 * margin model, created as ADD_INSTRUMENT creates them, without events), then the state of books, positions, margin,
 * pricing, options, liquidation, authorisations, fee tiers, sub-accounts and collateral. A section may only read what
 * the ones before it restored. Caches the engine rebuilds by itself are not written (an order book's totals and
 * indexes, a margin account's sums, holder counts); every cache whose rebuilt value could differ is written.
 *
 * <p><b>Evolution</b> (per section): fields a later build adds are appended at the end of the section, and a reader
 * of an older section that ends early gives them their defaults; an incompatible change bumps the section's version,
 * and the reader keeps reading every earlier version it supports ({@code in.version()}). A section this build does not
 * know is refused (a snapshot from a newer build cannot be loaded by an older one), and so are bytes at the end of a
 * section that this build does not read. A component added later is {@link Component#optional}: a snapshot written
 * before it lacks its section, and the new engine's component keeps its empty state.
 *
 * <p>Stateless. The engine must not apply a command while it is written.
 */
public final class EngineSnapshotFormat {
    /** The engine's settings ({@link EngineConfig}); written by the journal's {@code EngineSnapshots}. */
    public static final int SETTINGS = 1;
    static final int ENGINE = 2;
    static final int LEDGER = 3;
    static final int INDEXES = 4;
    static final int INSTRUMENTS = 5;
    static final int BOOKS = 6;
    static final int POSITIONS = 7;
    static final int MARGIN = 8;
    static final int PRICING = 9;
    static final int OPTIONS = 10;
    static final int LIQUIDATION = 11;
    static final int AUTHORISATIONS = 12;
    static final int FEE_TIERS = 13;
    static final int SUBACCOUNTS = 14;
    static final int COLLATERAL = 15;
    static final int RECENT_ORDERS = 16;
    static final int GOVERNANCE = 17;
    static final int CLIENT_ORDER_TEXTS = 18;

    /** Writes one component into its (open) section. */
    private interface Writer {
        void write(EngineParts parts, SnapshotWriter out);
    }

    /** Restores one component from its section ({@code in.version()} is the version it was written with). */
    private interface Reader {
        void read(EngineParts parts, SnapshotReader in);
    }

    /** Whether a component has anything to write (one that has not is left out, like a snapshot before it existed). */
    private interface Present {
        boolean test(EngineParts parts);
    }

    /**
     * One section: its tag, the version this build writes (and the highest it reads), a name for messages, whether it
     * may be missing (a component added after snapshots without it were written), and whether it is written now.
     */
    private record Component(int tag, int version, String name, Writer writer, Reader reader, boolean optional,
                             Present present) {
        Component(int tag, int version, String name, Writer writer, Reader reader, boolean optional) {
            this(tag, version, name, writer, reader, optional, parts -> true);
        }
    }

    /**
     * The components in the order they are written and restored. To add one: a new tag, appended here with
     * {@code optional} true (older snapshots lack it); its restore may use everything restored above it.
     */
    private static final List<Component> COMPONENTS = List.of(
            new Component(ENGINE, 1, "engine", EngineSnapshotFormat::writeEngine, EngineSnapshotFormat::readEngine,
                    false),
            new Component(LEDGER, Ledger.SNAPSHOT_VERSION, "ledger", (p, out) -> p.ledger().writeSnapshot(out),
                    EngineSnapshotFormat::readLedger, false),
            new Component(INDEXES, 2, "indexes", EngineSnapshotFormat::writeIndexes, EngineSnapshotFormat::readIndexes,
                    false),
            new Component(INSTRUMENTS, 1, "instruments", EngineSnapshotFormat::writeInstruments,
                    EngineSnapshotFormat::readInstruments, false),
            new Component(BOOKS, OrderBook.SNAPSHOT_VERSION, "books", EngineSnapshotFormat::writeBooks,
                    EngineSnapshotFormat::readBooks, false),
            new Component(POSITIONS, PositionBook.SNAPSHOT_VERSION, "positions", EngineSnapshotFormat::writePositions,
                    EngineSnapshotFormat::readPositions, false),
            new Component(MARGIN, MarginEngine.SNAPSHOT_VERSION, "margin", (p, out) -> p.margin().writeSnapshot(out),
                    EngineSnapshotFormat::readMargin, false),
            new Component(PRICING, InstrumentPricing.SNAPSHOT_VERSION, "pricing", EngineSnapshotFormat::writePricing,
                    EngineSnapshotFormat::readPricing, false),
            new Component(OPTIONS, 1, "options", (p, out) -> p.options().writeSnapshot(out),
                    (p, in) -> p.options().readSnapshot(in, id -> p.index(id) != null), false),
            new Component(LIQUIDATION, 1, "liquidation", (p, out) -> p.liquidator().writeSnapshot(out),
                    (p, in) -> p.liquidator().readSnapshot(in), false),
            new Component(AUTHORISATIONS, 1, "authorisations", (p, out) -> p.authorisations().writeSnapshot(out),
                    (p, in) -> p.authorisations().readSnapshot(in), false),
            new Component(FEE_TIERS, 1, "fee tiers", (p, out) -> p.feeTiers().writeSnapshot(out),
                    (p, in) -> p.feeTiers().readSnapshot(in), false),
            new Component(SUBACCOUNTS, 1, "sub-accounts", EngineSnapshotFormat::writeSubaccounts,
                    EngineSnapshotFormat::readSubaccounts, false),
            new Component(COLLATERAL, 1, "collateral", EngineSnapshotFormat::writeCollateral,
                    EngineSnapshotFormat::readCollateral, false),
            new Component(RECENT_ORDERS, RecentOrders.SNAPSHOT_VERSION, "recent orders",
                    (p, out) -> p.recentOrders().writeSnapshot(out), (p, in) -> p.recentOrders().readSnapshot(in), true),
            new Component(GOVERNANCE, RiskGovernance.SNAPSHOT_VERSION, "governance",
                    (p, out) -> p.governance().writeSnapshot(out), (p, in) -> p.governance().readSnapshot(in), true),
            // Written only while an open order has a client order id text: a venue that never used one writes (and
            // an older build reads) the snapshots it wrote before.
            new Component(CLIENT_ORDER_TEXTS, ClientOrderTexts.SNAPSHOT_VERSION, "client order id texts",
                    (p, out) -> p.clientOrderTexts().writeSnapshot(out),
                    (p, in) -> p.clientOrderTexts().readSnapshot(in, p.books()), true,
                    p -> p.clientOrderTexts().hasState())
    );

    private EngineSnapshotFormat() {
    }

    /** Writes every component of {@code engine}, a section each, after whatever {@code out} holds. */
    public static void write(Engine engine, SnapshotWriter out) {
        EngineParts parts = engine.parts();
        for (Component component : COMPONENTS) {
            if (!component.present().test(parts)) {
                continue;
            }
            out.beginSection(component.tag(), component.version());
            component.writer().write(parts, out);
            out.endSection();
        }
    }

    /**
     * A new engine with {@code events} as its listener and {@code config} as its settings, restored from the sections
     * {@link #write} wrote (what is left of {@code in} must be exactly those).
     *
     * @throws SnapshotFormatException when the sections are not a state this build can restore: truncated, damaged,
     *                                 from a newer build, or inconsistent; the message says which and where
     */
    public static Engine read(SnapshotReader in, EngineEvents events, EngineConfig config) {
        try {
            Engine engine = new Engine(events, config);
            EngineParts parts = engine.parts();
            for (Component component : COMPONENTS) {
                if (component.optional() && in.peekTag() != component.tag()) {
                    continue;
                }
                SnapshotReader section = in.openSection(component.tag(), component.version(), component.name());
                component.reader().read(parts, section);
                section.expectEnd(component.name());
            }
            if (in.hasRemaining()) {
                throw in.fail("a section this build does not know (tag " + in.peekTag() + ")");
            }
            checkLinks(parts, in);
            return engine;
        } catch (SnapshotFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SnapshotFormatException("the snapshot does not restore an engine: " + e, e);
        }
    }

    // ------------------------------------------------------------------------------------------------ engine

    private static void writeEngine(EngineParts p, SnapshotWriter out) {
        for (long value : p.clock()) {
            out.writeVarLong(value);
        }
    }

    private static void readEngine(EngineParts p, SnapshotReader in) {
        p.setClock(in.readVarLong(), in.readVarLong(), in.readVarLong(), in.readVarLong(), in.readVarLong());
    }

    private static void readLedger(EngineParts p, SnapshotReader in) {
        p.ledger().readSnapshot(in);
        for (int id = 0; id < Ledger.MAX_ASSETS; id++) {
            AssetSpec spec = p.ledger().asset(id);
            if (spec != null) {
                p.assetsBySymbol().put(spec.symbol(), spec);
            }
        }
    }

    private static void writeIndexes(EngineParts p, SnapshotWriter out) {
        int count = 0;
        for (PriceIndex index : p.indexes()) {
            count += index == null ? 0 : 1;
        }
        out.writeCount(count);
        for (PriceIndex index : p.indexes()) {
            if (index != null) {
                index.writeSnapshot(out);
            }
        }
    }

    private static void readIndexes(EngineParts p, SnapshotReader in) {
        int count = in.readCount(8);
        for (int i = 0; i < count; i++) {
            PriceIndex index = PriceIndex.readSnapshot(in, p.events(), p.books().length);
            if (p.index(index.spec().id()) != null) {
                throw in.fail("index " + index.spec().id() + " is there twice");
            }
            p.addIndex(index);
        }
    }

    // ------------------------------------------------------------------------------------------------ instruments

    /**
     * Per instrument (ascending id): its spec, settlement asset and margin tiers. Restoring one creates what
     * ADD_INSTRUMENT creates (clearing, positions, book, margin model, liquidation triggers), without an event; its
     * margin registration, pricing and option listing are their components' sections.
     */
    private static void writeInstruments(EngineParts p, SnapshotWriter out) {
        out.writeCount(p.instrumentCount());
        for (int i = 0; i < p.instrumentCount(); i++) {
            int id = p.instrumentId(i);
            SpecCodec.writeInstrument(out, p.books()[id].spec());
            out.writeVarInt(p.clearings()[id].asset());
            MarginModel model = p.models()[id];
            if (!(model instanceof MarginSchedule schedule)) {
                throw new IllegalStateException("instrument " + id + " has a margin model snapshots cannot write: "
                        + model.getClass().getName());
            }
            out.writeCount(schedule.tierCount());
            for (MarginTier tier : schedule.tiers()) {
                out.writeVarLong(tier.notionalFloor());
                out.writeVarLong(tier.maintenanceRatePpm());
                out.writeVarLong(tier.initialRatePpm());
                out.writeVarInt(tier.maxLeverage());
            }
        }
    }

    private static void readInstruments(EngineParts p, SnapshotReader in) {
        int count = in.readCount(16);
        EngineConfig config = p.config();
        for (int i = 0; i < count; i++) {
            InstrumentSpec spec = SpecCodec.readInstrument(in);
            int id = spec.id();
            int assetId = in.readVarInt();
            AssetSpec settlement = p.ledger().asset(assetId);
            if (id >= p.books().length || p.books()[id] != null || settlement == null
                    || !settlement.symbol().equals(spec.settlementAsset()) || settlement.scale() != spec.settlementScale()) {
                throw in.fail("instrument " + id + " (" + spec.symbol() + ") is out of range, there twice, or not settled"
                        + " in asset " + assetId);
            }
            int tierCount = in.readCount(4);
            List<MarginTier> tiers = new ArrayList<>(tierCount);
            for (int k = 0; k < tierCount; k++) {
                tiers.add(new MarginTier(in.readVarLong(), in.readVarLong(), in.readVarLong(), in.readVarInt()));
            }
            MarginModel model = new MarginSchedule(tiers);
            Clearing clearing = new Clearing(spec, settlement.id(), p.ledger(), p.feeTiers(), p.touched(), p.margin(),
                    p.liquidator(), p.options());
            p.clearings()[id] = clearing;
            p.models()[id] = model;
            p.liquidator().addInstrument(id);
            p.books()[id] = new OrderBook(spec, p.events(), p.marketData(), clearing,
                    config.expectedOrdersPerBook(), config.maxOpenOrdersPerBook(), config.maxOpenOrdersPerAccount());
            p.addInstrumentId(id);
        }
    }

    private static void writeBooks(EngineParts p, SnapshotWriter out) {
        out.writeCount(p.instrumentCount());
        for (int i = 0; i < p.instrumentCount(); i++) {
            int id = p.instrumentId(i);
            out.writeCount(id);
            p.books()[id].writeSnapshot(out);
        }
    }

    private static void readBooks(EngineParts p, SnapshotReader in) {
        int count = in.readCount(1);
        checkInstrumentCount(p, in, count);
        for (int i = 0; i < count; i++) {
            p.books()[nextInstrument(p, in, i)].readSnapshot(in);
        }
    }

    private static void writePositions(EngineParts p, SnapshotWriter out) {
        out.writeCount(p.instrumentCount());
        for (int i = 0; i < p.instrumentCount(); i++) {
            int id = p.instrumentId(i);
            out.writeCount(id);
            p.clearings()[id].positions().writeSnapshot(out);
        }
    }

    private static void readPositions(EngineParts p, SnapshotReader in) {
        int count = in.readCount(1);
        checkInstrumentCount(p, in, count);
        for (int i = 0; i < count; i++) {
            p.clearings()[nextInstrument(p, in, i)].positions().readSnapshot(in);
        }
    }

    private static void checkInstrumentCount(EngineParts p, SnapshotReader in, int count) {
        if (count != p.instrumentCount()) {
            throw in.fail(count + " instruments here, " + p.instrumentCount() + " listed");
        }
    }

    /** The i-th instrument's id, which the section must name next. */
    private static int nextInstrument(EngineParts p, SnapshotReader in, int i) {
        int id = in.readIndex(p.books().length, "instrument");
        if (id != p.instrumentId(i)) {
            throw in.fail("instrument " + id + " where instrument " + p.instrumentId(i) + " was expected");
        }
        return id;
    }

    private static void readMargin(EngineParts p, SnapshotReader in) {
        p.margin().readSnapshot(in, new MarginEngine.Instruments() {
            @Override
            public MarginModel model(int instrument) {
                return instrument >= 0 && instrument < p.models().length ? p.models()[instrument] : null;
            }

            @Override
            public PositionBook positions(int instrument) {
                Clearing clearing = instrument >= 0 && instrument < p.clearings().length ? p.clearings()[instrument]
                        : null;
                return clearing == null ? null : clearing.positions();
            }
        });
    }

    private static void writePricing(EngineParts p, SnapshotWriter out) {
        InstrumentPricing[] pricings = p.pricings();
        int count = 0;
        for (InstrumentPricing pricing : pricings) {
            count += pricing == null ? 0 : 1;
        }
        out.writeCount(count);
        for (int id = 0; id < pricings.length; id++) {
            if (pricings[id] != null) {
                out.writeCount(id);
                pricings[id].writeSnapshot(out);
            }
        }
    }

    private static void readPricing(EngineParts p, SnapshotReader in) {
        int count = in.readCount(12);
        for (int i = 0; i < count; i++) {
            int id = in.readIndex(p.books().length, "instrument");
            InstrumentPricing pricing = InstrumentPricing.readSnapshot(in);
            if (p.books()[id] == null || p.pricings()[id] != null || p.index(pricing.indexId()) == null) {
                throw in.fail("pricing of instrument " + id + " on index " + pricing.indexId()
                        + ": no such instrument or index, or there twice");
            }
            p.pricings()[id] = pricing;
        }
    }

    // ------------------------------------------------------------------------------------------------ accounts

    private static void writeSubaccounts(EngineParts p, SnapshotWriter out) {
        Long2LongHashMap ownerOf = p.ownerOf();
        out.writeCount(ownerOf.size());
        ownerOf.forEachLong((sub, owner) -> {
            out.writeVarLong(sub);
            out.writeVarLong(owner);
        });
        LongHashSet owners = p.owners();
        out.writeCount(owners.size());
        owners.forEachLong(out::writeVarLong);
    }

    private static void readSubaccounts(EngineParts p, SnapshotReader in) {
        int links = in.readCount(2);
        for (int i = 0; i < links; i++) {
            long sub = in.readVarLong();
            long owner = in.readVarLong();
            if (sub <= 0 || owner <= 0 || p.ownerOf().put(sub, owner) != 0) {
                throw in.fail("sub-account " + sub + " of " + owner + " is not an account pair or is there twice");
            }
        }
        int owners = in.readCount(1);
        for (int i = 0; i < owners; i++) {
            p.owners().add(in.readVarLong());
        }
    }

    /** Collateral priced from indexes, in the order it was set (the order it is re-priced in). */
    private static void writeCollateral(EngineParts p, SnapshotWriter out) {
        out.writeCount(p.collateralLinkCount());
        for (int i = 0; i < p.collateralLinkCount(); i++) {
            for (long value : p.collateralLink(i)) {
                out.writeVarLong(value);
            }
        }
        // Appended later: the last on-chain deposit credited (a section written before it ends here, meaning 0).
        out.writeVarLong(p.funds().lastChainDepositId());
        out.writeVarLong(p.funds().lastForcedRef());
    }

    private static void readCollateral(EngineParts p, SnapshotReader in) {
        int count = in.readCount(6);
        for (int i = 0; i < count; i++) {
            int indexId = in.readVarInt();
            int asset = in.readVarInt();
            int assetScale = in.readVarInt();
            int settlementAsset = in.readVarInt();
            long settlementUnit = in.readVarLong();
            long weightPpm = in.readVarLong();
            if (p.index(indexId) == null || p.ledger().asset(asset) == null || p.ledger().asset(settlementAsset) == null
                    || settlementUnit <= 0) {
                throw in.fail("collateral " + asset + " for " + settlementAsset + " on index " + indexId);
            }
            p.addCollateralLink(indexId, asset, assetScale, settlementAsset, settlementUnit, weightPpm);
        }
        if (in.hasRemaining()) {
            long lastChainDeposit = in.readVarLong();
            if (lastChainDeposit < 0) {
                throw in.fail("last chain deposit " + lastChainDeposit);
            }
            p.funds().restoreLastChainDepositId(lastChainDeposit);
            long lastForced = in.hasRemaining() ? in.readVarLong() : 0;
            if (lastForced < 0) {
                throw in.fail("last forced withdrawal " + lastForced);
            }
            p.funds().restoreLastForcedRef(lastForced);
        }
    }

    // ------------------------------------------------------------------------------------------------ links

    /**
     * What no single section can check: every index lists exactly the instruments priced from it, and every option
     * book is a listed option.
     */
    private static void checkLinks(EngineParts p, SnapshotReader in) {
        int priced = 0;
        for (PriceIndex index : p.indexes()) {
            if (index == null) {
                continue;
            }
            for (int i = 0; i < index.instrumentCount(); i++) {
                int id = index.instrument(i);
                InstrumentPricing pricing = p.pricings()[id];
                if (pricing == null || pricing.indexId() != index.spec().id()) {
                    throw in.fail("index " + index.spec().id() + " lists instrument " + id + ", which is not priced from it");
                }
                priced++;
            }
        }
        for (int i = 0; i < p.instrumentCount(); i++) {
            int id = p.instrumentId(i);
            priced -= p.pricings()[id] != null ? 1 : 0;
            if (p.books()[id].spec().kind() == InstrumentKind.OPTION) {
                if (p.options().series(id) == null) {
                    throw in.fail("option book " + id + " is not a listed option");
                }
            }
        }
        if (priced != 0) {
            throw in.fail("an instrument is priced from an index that does not list it");
        }
    }
}
