package io.meridian.simulator;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.engine.audit.ShadowAudit;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.SystemAccounts;
import io.meridian.model.event.FanOutEvents;
import io.meridian.risk.MarginEngine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The engine as the simulation sees it: plays the sequencer (sequence numbers, timestamps from the simulated clock)
 * and listens to the events the stress report needs. Also checks, per command, that every account the command
 * reported with negative equity has non-negative equity when the command completes (its deficit resolved within the
 * command), and runs the {@link ShadowAudit} after every command (the accounts it touched) and, through
 * {@link #sweep}, over every account once a simulated second. Single-threaded.
 */
final class SimVenue implements EngineEvents {
    private final Engine engine;
    private final int asset;
    private final long minorUnitsPerTickLot;
    private final Command command = new Command();
    private long sequence;
    private long now;
    /** When set, a copy of every command submitted, stamped (for journals and snapshot tests). */
    private List<Command> log;

    long liquidations;
    long liquidationFills;
    long backstopTransfers;
    long adlEvents;
    /** Positions the insurance fund took over, its unwind fills, and its refusals below its floor (ADL's cause). */
    long fundTakeovers;
    long fundUnwinds;
    long fundBelowFloor;
    /** Auto-deleveraging closes of the fund's own inventory (below its floor). */
    long fundDeleveraged;
    /** Deficits the fund absorbed by taking positions over beyond the mark, settlement minor units. */
    long fundTakeoverLoss;
    /** Notional closed by liquidation (book fills, backstop transfers, auto-deleveraging), settlement minor units. */
    long liquidatedNotional;
    /** Of it, what liquidation orders filled in the book, and how far from the mark (|fill - mark|), minor units. */
    long liquidationBookNotional;
    long liquidationSlippage;
    /** Notional closed by auto-deleveraging, minor units. */
    long adlNotional;
    long insurancePaid;
    long venueCovered;
    long rejects;
    /** SET_RISK_SCALE commands the engine refused (the controller's must never be). */
    long riskScaleRejects;
    /** The perpetual's risk multiplier changes announced and applied, and the highest multiplier it was under. */
    long riskScaleAnnounced;
    long riskScaleApplied;
    long maxMultiplierPpm = io.meridian.model.FixedPoint.PPM;
    /** The announcements and changes of the perpetual's multiplier, at most {@link StressRunner#MAX_SAMPLES}. */
    private final Thinned<StressRunner.RiskScaleEvent> riskScaleEvents = new Thinned<>(StressRunner.MAX_SAMPLES);
    /** Rejects by reason: agents that overreach get margin rejects, and market orders into an empty book too. */
    final Map<String, Long> rejectReasons = new TreeMap<>();
    private final List<Long> negativeThisCommand = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    /** Minor units per tick-lot of instruments other than the perpetual (options: a lot-tick is worth more). */
    private final Map<Integer, Long> tickLotValues = new HashMap<>();
    /** Accounts that had at least one {@code liquidationStarted}. */
    final Map<Long, Long> liquidationsByAccount = new HashMap<>();
    /** Deficits covered (insurance fund and venue) by account. */
    final Map<Long, Long> deficitsByAccount = new HashMap<>();
    /** The perpetual's funding events, at most {@link StressRunner#MAX_SAMPLES} of them (evenly thinned beyond). */
    private final Thinned<StressRunner.FundingEvent> funding = new Thinned<>(StressRunner.MAX_SAMPLES);

    private final ShadowAudit audit;
    /** The simulated second being run (set by the runner). */
    long second;

    SimVenue(EngineConfig config, int asset, long minorUnitsPerTickLot) {
        this(config, asset, minorUnitsPerTickLot, null);
    }

    /** With {@code observer} (an adversary's, for its pass criteria) told every event after the venue and the audit. */
    SimVenue(EngineConfig config, int asset, long minorUnitsPerTickLot, EngineEvents observer) {
        this.audit = new ShadowAudit(config);
        this.engine = new Engine(observer == null ? new FanOutEvents(this, audit)
                : new FanOutEvents(this, audit, observer), config);
        this.asset = asset;
        this.minorUnitsPerTickLot = minorUnitsPerTickLot;
    }

    /** Declares an instrument whose lot moving one tick is worth {@code minorUnits} (the perpetual's by default). */
    void tickLotValue(int instrument, long minorUnits) {
        tickLotValues.put(instrument, minorUnits);
    }

    private long notional(int instrument, long price, long quantity) {
        return quantity * price * tickLotValues.getOrDefault(instrument, minorUnitsPerTickLot);
    }

    Engine engine() {
        return engine;
    }

    /** A reusable command, reset. */
    Command command() {
        return command.reset();
    }

    void setTime(long nanos) {
        now = Math.max(now, nanos);
    }

    long time() {
        return now;
    }

    /**
     * Stamps and applies; order ids are the sequence number, as a sequencer would assign them. Returns the engine's
     * reject reason, null when the command was accepted.
     */
    RejectReason submit(Command c) {
        c.sequence = ++sequence;
        c.timestamp = now;
        if (c.orderId == 0 && c.type == CommandType.PLACE_ORDER) {
            c.orderId = c.sequence;
        }
        if (log != null) {
            log.add(new Command().copyFrom(c));
        }
        audit.onCommand(c);
        CommandType type = c.type;
        RejectReason reject = engine.apply(c).reject();
        if (reject != null) {
            rejects++;
            rejectReasons.merge(reject.name(), 1L, Long::sum);
            if (type == CommandType.SET_RISK_SCALE) {
                riskScaleRejects++;
            }
        }
        for (String found : audit.check(engine)) {
            violation(found);
        }
        return reject;
    }

    /** The audit over every account (a mark move changes equity without touching anyone); once a simulated second. */
    void sweep() {
        for (String found : audit.checkAll(engine)) {
            violation(found);
        }
    }

    ShadowAudit audit() {
        return audit;
    }

    void recordInto(List<Command> commands) {
        this.log = commands;
    }

    long commands() {
        return sequence;
    }

    List<String> violations() {
        return violations;
    }

    /**
     * Records a violation, {@code "<invariant>: <detail>"}: the first 20 are kept in full, and every invariant keeps its
     * count and its first.
     */
    void violation(String what) {
        int colon = what.indexOf(':');
        String name = colon < 0 ? what : what.substring(0, colon);
        violationCounts.merge(name, 1L, Long::sum);
        firstViolations.putIfAbsent(name, what);
        if (violations.size() < 20) {
            violations.add(what);
        }
    }

    /** Violations by invariant name, in the order first seen. */
    final Map<String, Long> violationCounts = new LinkedHashMap<>();
    final Map<String, String> firstViolations = new LinkedHashMap<>();

    @Override
    public void accountUpdated(long seq, long ts, long account, int assetId, long balance, long equity,
                               long initialMargin, long maintenanceMargin, int health) {
        if (equity < 0 && assetId == asset) {
            negativeThisCommand.add(account);
        }
    }

    @Override
    public void commandCompleted(long seq, long ts) {
        if (negativeThisCommand.isEmpty()) {
            return;
        }
        for (long account : negativeThisCommand) {
            MarginEngine.MarginState state = engine.view().marginState(account, asset);
            if (state.equity < 0) {
                violation("no uncovered negative equity: account " + account + " ended command " + seq + " at "
                        + state.equity);
            }
        }
        negativeThisCommand.clear();
    }

    @Override
    public void fundingRateApplied(long seq, long ts, int instrument, long rate, long averagePremium, long interestRate,
                                   int samples, long markPrice) {
        if (instrument == SimulatorSetup.BTC_PERP) {
            funding.add(new StressRunner.FundingEvent(second, rate, averagePremium, markPrice));
        }
    }

    /** The perpetual's funding events so far (every one, or evenly thinned to {@link StressRunner#MAX_SAMPLES}). */
    List<StressRunner.FundingEvent> fundingEvents() {
        return funding.items();
    }

    @Override
    public void riskScaleScheduled(long seq, long ts, int instrument, long multiplierPpm, long effectiveAt,
                                   long volatilityPpm) {
        if (instrument == SimulatorSetup.BTC_PERP) {
            riskScaleAnnounced++;
            riskScaleEvents.add(new StressRunner.RiskScaleEvent(second, false, multiplierPpm, effectiveAt,
                    volatilityPpm));
        }
    }

    @Override
    public void riskScaleApplied(long seq, long ts, int instrument, long multiplierPpm, long positionLimit,
                                 long priceBandPpm) {
        if (instrument == SimulatorSetup.BTC_PERP) {
            riskScaleApplied++;
            maxMultiplierPpm = Math.max(maxMultiplierPpm, multiplierPpm);
            riskScaleEvents.add(new StressRunner.RiskScaleEvent(second, true, multiplierPpm, ts,
                    engine.view().realisedVolatilityPpm(SimulatorSetup.INDEX)));
        }
    }

    /** The perpetual's multiplier announcements and changes so far (every one, or evenly thinned). */
    List<StressRunner.RiskScaleEvent> riskScaleEvents() {
        return riskScaleEvents.items();
    }

    @Override
    public void liquidationStarted(long seq, long ts, long account, int assetId, int instrument, long equity,
                                   long maintenanceMargin) {
        liquidations++;
        liquidationsByAccount.merge(account, 1L, Long::sum);
    }

    @Override
    public void liquidationFill(long seq, long ts, long account, int instrument, Side side, long price, long quantity,
                                long fee) {
        liquidationFills++;
        long value = notional(instrument, price, quantity);
        liquidatedNotional += value;
        liquidationBookNotional += value;
        // Against the mark the liquidation was priced from: what the liquidated account gave up to the book.
        long mark = engine.view().book(instrument).markPrice();
        if (mark > 0) {
            liquidationSlippage += notional(instrument, Math.abs(price - mark), quantity);
        }
    }

    @Override
    public void backstopTransfer(long seq, long ts, long account, long backstopAccount, int instrument, Side side,
                                 long price, long quantity) {
        backstopTransfers++;
        liquidatedNotional += notional(instrument, price, quantity);
    }

    @Override
    public void autoDeleveraged(long seq, long ts, long account, long counterparty, int instrument, Side side,
                                long price, long quantity, long rankPpm) {
        adlEvents++;
        adlNotional += notional(instrument, price, quantity);
        if (account == SystemAccounts.INSURANCE_FUND) {
            fundDeleveraged++;
        }
        liquidatedNotional += notional(instrument, price, quantity);
    }

    @Override
    public void insuranceFundTakeover(long seq, long ts, long account, int instrument, Side side, long price,
                                      long quantity, long fundEquity) {
        fundTakeovers++;
        liquidatedNotional += notional(instrument, price, quantity);
        // Taken over beyond the mark (the account was under water): the fund absorbed that deficit at once.
        long mark = engine.view().book(instrument).markPrice();
        long loss = side == Side.SELL ? price - mark : mark - price;
        if (loss > 0) {
            fundTakeoverLoss += notional(instrument, loss, quantity);
        }
    }

    @Override
    public void insuranceFundUnwind(long seq, long ts, int instrument, Side side, long price, long quantity,
                                    long realizedPnl, long inventory) {
        fundUnwinds++;
    }

    @Override
    public void insuranceFundBelowFloor(long seq, long ts, long account, int assetId, int instrument, long fundEquity,
                                        long required) {
        fundBelowFloor++;
    }

    @Override
    public void insuranceFundPaid(long seq, long ts, long account, int assetId, long amount, long fundBalance) {
        insurancePaid += amount;
        deficitsByAccount.merge(account, amount, Long::sum);
    }

    @Override
    public void deficitCoveredByVenue(long seq, long ts, long account, int assetId, long amount) {
        venueCovered += amount;
        deficitsByAccount.merge(account, amount, Long::sum);
    }
}
