package io.meridian.node;

import io.meridian.engine.Engine;
import io.meridian.engine.OptionMarginSpecs;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.GovernanceSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionMarginSpec;
import io.meridian.pricing.PricingView;

import java.math.BigDecimal;
import java.util.function.Consumer;

/**
 * What a node's start journals before it takes requests, and what it refuses to start with (split out of
 * {@link EngineLoop}). Runs on the starting thread before the engine thread exists.
 */
final class NodeBootstrap {
    private NodeBootstrap() {
    }

    /**
     * Adds, through the journal or the cluster ({@code submit}; the caller then flushes or waits), every configured
     * asset, index, instrument (with its starting mark; priced from its index when configured so) and option the
     * engine lacks, in that order, and sets each index's option margin parameters where the engine's differ from the
     * config's. Two gateways of one cluster may both send one: the second is refused by the engine, harmlessly.
     */
    static void bootstrap(NodeConfig config, Engine engine, Consumer<Command> submit) {
        Command c = new Command();
        for (NodeConfig.Asset asset : config.assets()) {
            if (engine.view().ledger().asset(asset.id()) == null) {
                c.reset();
                c.type = CommandType.ADD_ASSET;
                c.assetSpec = new AssetSpec(asset.id(), asset.symbol(), asset.scale());
                submit.accept(c);
            }
        }
        // Indexes before the instruments and option chains priced from them; marks follow an index once it publishes.
        for (NodeConfig.Index index : config.markets().indexes()) {
            if (!engine.view().hasIndex(index.id())) {
                c.reset();
                c.type = CommandType.ADD_INDEX;
                c.indexSpec = NodeConfig.indexSpec(index);
                submit.accept(c);
            }
        }
        for (NodeConfig.Instrument instrument : config.instruments()) {
            if (!engine.view().instrumentIds().contains(instrument.id())) {
                InstrumentSpec spec = NodeConfig.spec(instrument);
                c.reset();
                c.type = CommandType.ADD_INSTRUMENT;
                c.instrumentSpec = spec;
                c.pricingSpec = NodeConfig.pricingSpec(instrument, config.scaleOf(instrument.settle()));
                submit.accept(c);
                // The configured mark starts trading; an index-priced perpetual whose index already publishes takes
                // its mark from the index instead.
                if (instrument.index() == null || engine.view().indexPrice(instrument.index()) == 0) {
                    c.reset();
                    c.type = CommandType.SET_MARK_PRICE;
                    c.instrument = instrument.id();
                    c.price = new BigDecimal(instrument.markPrice()).divide(spec.tickSize()).longValueExact();
                    submit.accept(c);
                }
            }
        }
        // Option margin parameters as configured: journaled when the engine's differ (a new index has the defaults),
        // so a changed config takes effect at this start and the journal records when.
        for (NodeConfig.Index index : config.markets().indexes()) {
            OptionMarginSpec wanted = index.optionMarginSpec();
            OptionMarginSpec current = engine.view().optionMarginSpec(index.id());
            if (!wanted.equals(current != null ? current : OptionMarginSpecs.defaults())) {
                c.reset();
                c.type = CommandType.SET_OPTION_MARGIN;
                c.indexId = index.id();
                c.optionMarginSpec = wanted;
                submit.accept(c);
            }
        }
        for (Command option : config.optionCommands()) {
            if (!engine.view().instrumentIds().contains(option.instrumentSpec.id())) {
                submit.accept(option);
            }
        }
        // Governance is the venue's genesis: journaled once, when the engine has none (checkGovernance refused a
        // config that names another before anything was journaled).
        if (config.governance() != null && engine.view().governance() == null) {
            c.reset();
            c.type = CommandType.SET_GOVERNANCE;
            c.governanceSpec = config.governance().spec();
            submit.accept(c);
        }
    }

    /**
     * Refuses a config whose {@code governance} differs from the one the engine already holds (admins compared without
     * regard to case or order, threshold, timelock): governance lives in the log from its genesis, and changing it is
     * not supported yet, so a start that went on would run under governors the operator did not configure. A config
     * without the section is fine: the log's governance stays in force. Runs before anything is journaled.
     */
    static void checkGovernance(NodeConfig config, Engine engine, String where) {
        GovernanceSpec held = engine.view().governance();
        if (config.governance() == null || held == null) {
            return;
        }
        GovernanceSpec wanted = config.governance().spec();
        if (!normalised(held).equals(normalised(wanted))) {
            throw new IllegalStateException("governance: " + where + " holds admins " + normalised(held).admins()
                    + ", threshold " + held.threshold() + ", timelock " + held.timelockMillis() + " ms, but the config"
                    + " names admins " + normalised(wanted).admins() + ", threshold " + wanted.threshold() + ", timelock "
                    + wanted.timelockMillis() + " ms; governance is set once, at genesis, and changing it is not supported"
                    + " yet: put the journal's governance back in the config (or leave the section out)");
        }
    }

    /** The spec with its admins in lower case and sorted: what makes two specs the same governance. */
    private static GovernanceSpec normalised(GovernanceSpec spec) {
        return new GovernanceSpec(spec.admins().stream().map(a -> a.toLowerCase(java.util.Locale.ROOT)).sorted().toList(),
                spec.threshold(), spec.timelockMillis());
    }

    /**
     * Refuses a configured instrument the journal already holds differently: a perpetual priced another way (from an
     * index or by the operator), or an option series with other terms. The engine keeps the journal's, so the gateway
     * would list one thing and trade another. A changed instrument needs a new id (a chain's {@code firstId}) or a new
     * data directory (or, on a cluster's gateway, a new cluster). Runs before anything is journaled. {@code where} names
     * what holds the engine ("the journal of DIR", "the cluster at ...") and {@code fresh} where to start over.
     */
    static void checkListedInstruments(NodeConfig config, Engine engine, String where, String fresh) {
        for (NodeConfig.Instrument in : config.instruments()) {
            if (engine.view().instrumentIds().contains(in.id())) {
                PricingView pricing = engine.view().pricing(in.id());
                Integer listed = pricing == null ? null : pricing.indexId();
                if (!java.util.Objects.equals(listed, in.index())) {
                    throw new IllegalStateException("instruments: " + in.symbol() + " (" + in.id() + ") is "
                            + (listed == null ? "marked by the operator" : "priced from index " + listed)
                            + " in " + where + " but " + (in.index() == null
                            ? "marked by the operator" : "priced from index " + in.index()) + " in the config; how an"
                            + " instrument is priced cannot change: give it another id or start on " + fresh);
                }
            }
        }
        for (Command option : config.optionCommands()) {
            int id = option.instrumentSpec.id();
            if (engine.view().instrumentIds().contains(id)) {
                InstrumentSpec listed = engine.view().book(id).spec();
                if (!listed.symbol().equals(option.instrumentSpec.symbol())
                        || listed.expiryTimestamp() != option.instrumentSpec.expiryTimestamp()) {
                    throw new IllegalStateException("optionChains: instrument " + id + " is " + listed.symbol()
                            + " in " + where + " but " + option.instrumentSpec.symbol()
                            + " in the config; a listed series cannot change: give the chain other ids (firstId) or"
                            + " start on " + fresh);
                }
            }
        }
    }
}
