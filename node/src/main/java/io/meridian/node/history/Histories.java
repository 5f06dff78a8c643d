package io.meridian.node.history;

/**
 * The node's histories beside the engine, fed by its events on the engine thread and read through
 * {@code EngineLoop.query}: each account's fills, orders and withdrawals, each instrument's public trades, candles,
 * funding and 24-hour statistics, the insurance fund's balance. Gateway state: rebuilt from the journal at start,
 * never journaled, hashed or snapshotted.
 */
public record Histories(FillHistory fills, OrderHistory orders, TradeHistory trades, CandleHistory candles,
                        FundingHistory funding, DayStats days, InsuranceFundHistory insuranceFund,
                        WithdrawalHistory withdrawals) {
    /** Empty histories. */
    public static Histories empty() {
        return new Histories(new FillHistory(), new OrderHistory(), new TradeHistory(), new CandleHistory(),
                new FundingHistory(), new DayStats(), new InsuranceFundHistory(), new WithdrawalHistory());
    }
}
