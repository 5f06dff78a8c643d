package io.meridian.simulator;

import io.meridian.engine.EngineConfig;
import io.meridian.model.EngineEvents;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The attacker of an adversarial scenario ({@link Scenario#adversary()}) and the pass criteria the venue is judged by.
 * An adversary is a normal user: it acts only through ordinary commands (orders, deposits, withdrawals), and, for the
 * oracle attacks, decides what the price sources it has captured report. It listens to the engine's events (after the
 * venue and the audit) to measure its criteria; the runner calls its hooks in this order every simulated second:
 * {@link #sourcePrice} for each BTC source, {@link #report}, the honest agents, {@link #act}, the {@code TIME_TICK},
 * then {@link #observe}. {@code t} is the scenario's time in seconds (fractional in a shortened run).
 */
abstract class Adversary implements EngineEvents {
    protected SimVenue venue;
    /** The attacker's accounts: everyone else is honest. */
    protected final Set<Long> attackers = new TreeSet<>();
    /** Liquidations of honest accounts: {@code {second, account}}. */
    protected final List<long[]> honestLiquidations = new ArrayList<>();
    /** Who attacks and how, in one sentence (printed in the report). */
    abstract String attacker();

    /** The engine settings for the run, from the lab's usual ones. */
    EngineConfig config(EngineConfig base) {
        return base;
    }

    /** Opens the attacker's accounts (and whatever the attack needs) after the honest setup; may add honest victims. */
    List<Agents.Agent> setup(SimVenue venue, SplittableRandom random) {
        this.venue = venue;
        return List.of();
    }

    /** What BTC price source {@code source} reports at {@code t} (index units); {@code honest} is the honest report. */
    long sourcePrice(int source, long honest, double t) {
        return honest;
    }

    /** After the BTC sources: further oracle reports (another asset's index). */
    void report(SimVenue venue, double t) {
    }

    /** The attacker's commands this second, after the honest agents. */
    void act(SimVenue venue, Agents.Market market, double t) {
    }

    /** After the second's {@code TIME_TICK}: measurements for the criteria. */
    void observe(SimVenue venue, double t, long honestIndexTicks) {
    }

    /** The criteria, judged at the end of the run. */
    abstract List<StressRunner.Criterion> criteria();

    @Override
    public void liquidationStarted(long sequence, long timestamp, long account, int asset, int instrument, long equity,
                                   long maintenanceMargin) {
        if (!attackers.contains(account)) {
            honestLiquidations.add(new long[] {venue.second, account});
        }
    }

    /** "No honest account is liquidated" from second {@code from} on. */
    protected StressRunner.Criterion noHonestLiquidation(long from, String when) {
        List<long[]> hits = honestLiquidations.stream().filter(h -> h[0] >= from).toList();
        return new StressRunner.Criterion("no honest account is liquidated " + when, hits.isEmpty(), hits.isEmpty() ? "none"
                : hits.size() + " liquidations, the first of account " + hits.get(0)[1] + " at second " + hits.get(0)[0]);
    }
}
