package io.meridian.engine;

import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.risk.options.OptionMarginMode;
import org.agrona.collections.LongHashSet;

import java.util.Arrays;

/**
 * Which instruments are options, which futures are margined with options, and which accounts are in portfolio margin:
 * the state that {@link Options} and {@link PortfolioAccounts} change and that the margin engine's hook
 * ({@link OptionMarginHook}) reads. It is made before all three, so each is given it at construction and nothing is
 * wired afterwards (the margin engine takes the hook, {@link Options} takes the margin engine).
 *
 * <p>Engine thread only. Reads allocate nothing.
 */
final class OptionRegistry {
    /** Option series by instrument id; null for other instruments. */
    final OptionSeries[] series;
    /** For futures priced from an index with options: its underlying, else null. */
    final OptionUnderlying[] futureUnderlying;
    /** Accounts in portfolio margin. */
    private final LongHashSet portfolio = new LongHashSet(16);

    OptionRegistry(int maxInstruments) {
        this.series = new OptionSeries[maxInstruments];
        this.futureUnderlying = new OptionUnderlying[maxInstruments];
    }

    /** True when the account is in portfolio margin. */
    boolean isPortfolio(long account) {
        return portfolio.contains(account);
    }

    /** The mode the account's option margin accounts are in. */
    OptionMarginMode modeOf(long account) {
        return mode(portfolio.contains(account));
    }

    static OptionMarginMode mode(boolean portfolioMargin) {
        return portfolioMargin ? OptionMarginMode.PORTFOLIO : OptionMarginMode.STANDARD;
    }

    boolean hasPortfolioAccounts() {
        return !portfolio.isEmpty();
    }

    /** Puts the account in portfolio margin ({@code on}) or takes it out; the legs are {@link PortfolioAccounts}'. */
    void setPortfolio(long account, boolean on) {
        if (on) {
            portfolio.add(account);
        } else {
            portfolio.remove(account);
        }
    }

    /** The portfolio-margin accounts, ascending, after their count. */
    void hashPortfolio(StateHasher hasher) {
        long[] ids = new long[portfolio.size()];
        int n = 0;
        LongHashSet.LongIterator it = portfolio.iterator();
        while (it.hasNext()) {
            ids[n++] = it.nextValue();
        }
        Arrays.sort(ids);
        hasher.add(n);
        for (long id : ids) {
            hasher.add(id);
        }
    }

    /** Writes the portfolio-margin accounts' count, then each account in the set's iteration order. */
    void writePortfolio(SnapshotWriter out) {
        out.writeCount(portfolio.size());
        portfolio.forEachLong(out::writeVarLong);
    }

    /** Restores what {@link #writePortfolio} wrote into an empty set. */
    void readPortfolio(SnapshotReader in) {
        int count = in.readCount(1);
        for (int i = 0; i < count; i++) {
            portfolio.add(in.readVarLong());
        }
    }
}
