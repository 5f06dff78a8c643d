package io.meridian.simulator;

import java.util.List;
import java.util.Set;

/**
 * The two invariants the current liquidation waterfall breaks by design: when neither the book at the bankruptcy price
 * nor the backstop can take a step, the insurance fund's order may fill past the bankruptcy price
 * ({@code liquidation-price}), and auto-deleveraging closes at the bankrupt account's price even when that is past the
 * counterparty's own bankruptcy price ({@code adl-price}). The new waterfall of issue 15 (the fund takes positions over
 * at the bankruptcy price; ADL only below its floor and within the counterparty's bankruptcy price) removes both; until
 * it is merged, the stress tests assert every other invariant and these are only counted. Delete this class when it
 * lands.
 */
final class AwaitingWaterfall {
    static final Set<String> INVARIANTS = Set.of("liquidation-price", "adl-price");

    private AwaitingWaterfall() {
    }

    /** The run's violations other than the awaited one. */
    static List<String> others(StressRunner.Result result) {
        return result.violations().stream().filter(v -> !INVARIANTS.contains(v.substring(0, v.indexOf(':')))).toList();
    }
}
