// Candles without a chart: the intervals the API serves and how a trade moves the current candle (chart.js draws them;
// this module has no browser dependency, so its rules are unit-tested under Node).

export const INTERVALS = { "1m": 60, "5m": 300, "15m": 900, "1h": 3600, "4h": 14_400, "1d": 86_400 };

/**
 * Folds a trade into the candles (seconds-based bars as lightweight-charts takes them): the bar of the trade's
 * interval bucket is updated, or a new one opened by it (its open the trade's price, as a venue's candles have it).
 * Returns the bar to draw, or null for a trade older than the last bar.
 */
export function foldTrade(bars, intervalSeconds, timeMs, price) {
  const time = Math.floor(timeMs / 1000 / intervalSeconds) * intervalSeconds;
  const p = Number(price);
  const last = bars[bars.length - 1];
  if (last && last.time === time) {
    last.high = Math.max(last.high, p);
    last.low = Math.min(last.low, p);
    last.close = p;
    return last;
  }
  if (last && last.time > time) return null; // an old trade (already in the loaded candles)
  const bar = { time, open: p, high: p, low: p, close: p };
  bars.push(bar);
  return bar;
}
