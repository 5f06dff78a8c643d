package io.meridian.engine;

import io.meridian.model.EngineEvents;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.margin.Health;

/**
 * The end of every command: publishes the new margin state of every account the command touched
 * ({@code accountUpdated} per settlement asset, {@code isolatedPositionUpdated} per isolated position), hands the
 * accounts now under maintenance to the {@link Liquidator}, and runs liquidation rounds until nobody is left under
 * water (bounded), publishing the accounts each round touches. Engine thread.
 */
final class LiquidationHandler {
    /** Bound on liquidation cascades within one command (each round liquidates everyone the last one left under). */
    private static final int MAX_LIQUIDATION_ROUNDS = 64;

    private final Markets markets;
    private final MarginEngine margin;
    private final Liquidator liquidator;
    private final TouchedAccounts touched;
    private final EngineEvents events;
    private final MarginEngine.MarginState marginState = new MarginEngine.MarginState();
    private int[] isolatedScratch = new int[8];

    /** {@code events} hears the account updates: the host's listener (they are no part of a command's outcome). */
    LiquidationHandler(Markets markets, MarginEngine margin, Liquidator liquidator, TouchedAccounts touched,
                       EngineEvents events) {
        this.markets = markets;
        this.margin = margin;
        this.liquidator = liquidator;
        this.touched = touched;
        this.events = events;
    }

    /**
     * Publishes the touched accounts, then liquidates those found by this command's mark changes or in the states
     * just published; their fills touch more accounts, which are published and checked in turn.
     */
    void finishCommand(long sequence, long timestamp) {
        publishAccountUpdates(sequence, timestamp);
        for (int round = 0; round < MAX_LIQUIDATION_ROUNDS && liquidator.hasCandidates(); round++) {
            liquidator.run(sequence, timestamp);
            publishAccountUpdates(sequence, timestamp);
        }
        liquidator.endCommand(sequence, timestamp);
    }

    /**
     * Isolated margins of idle positions go back to the cross balance, then every touched account gets its cross
     * state per asset and the state of each of its isolated positions in that asset.
     */
    private void publishAccountUpdates(long sequence, long timestamp) {
        for (int i = 0; i < touched.size(); i++) {
            margin.releaseIdleIsolated(touched.account(i));
        }
        for (int i = 0; i < touched.size(); i++) {
            long account = touched.account(i);
            int asset = touched.asset(i);
            MarginEngine.MarginState state = margin.compute(account, asset, marginState);
            events.accountUpdated(sequence, timestamp, account, asset, state.balance, state.equity,
                    state.initialMargin, state.maintenanceMargin, state.health);
            liquidator.markDirty(account);
            if (account <= 0) {
                // The insurance fund's inventory: published, never liquidated (InsuranceFund.coverFundDeficit).
                continue;
            }
            if (Health.isLiquidatable(state.equity, state.maintenanceMargin)) {
                liquidator.considerTouched(account);
            } else if (state.equity < 0 && state.maintenanceMargin == 0) {
                liquidator.considerDeficit(account, asset);
            }
            publishIsolated(account, asset, sequence, timestamp);
        }
        touched.clear();
    }

    private void publishIsolated(long account, int asset, long sequence, long timestamp) {
        isolatedScratch = margin.isolatedInstruments(account, isolatedScratch);
        int isolated = margin.isolatedCount();
        for (int k = 0; k < isolated; k++) {
            int instrument = isolatedScratch[k];
            if (markets.clearings[instrument].asset() == asset) {
                MarginEngine.MarginState position = margin.computeIsolated(account, instrument, marginState);
                events.isolatedPositionUpdated(sequence, timestamp, account, instrument, position.balance,
                        position.equity, position.initialMargin, position.maintenanceMargin, position.health);
                if (Health.isLiquidatable(position.equity, position.maintenanceMargin)) {
                    liquidator.considerTouched(account);
                }
            }
        }
    }
}
