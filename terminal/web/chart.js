// The candles chart: TradingView's lightweight-charts (packaged from the npm registry into the node's jar, no CDN),
// candles from GET /v1/candles, the current candle updated from each trade, and the mark, index and last price as
// lines across it.
import { CandlestickSeries, createChart, LineStyle } from "/terminal/vendor/lightweight-charts.mjs";
import { foldTrade, INTERVALS } from "./candles.js";

export { INTERVALS };

export class CandleChart {
  constructor(container, priceDecimals) {
    this.chart = createChart(container, {
      autoSize: true,
      layout: { background: { color: "#0f1318" }, textColor: "#9aa4b2", fontSize: 11 },
      grid: { vertLines: { color: "#1b222b" }, horzLines: { color: "#1b222b" } },
      timeScale: { timeVisible: true, secondsVisible: false, borderColor: "#2a323d" },
      rightPriceScale: { borderColor: "#2a323d" },
      crosshair: { mode: 0 },
    });
    this.series = this.chart.addSeries(CandlestickSeries, {
      upColor: "#26a69a", downColor: "#ef5350", borderVisible: false, wickUpColor: "#26a69a",
      wickDownColor: "#ef5350", priceFormat: { type: "price", precision: priceDecimals,
        minMove: 1 / 10 ** priceDecimals },
    });
    this.lines = {};
    this.bars = [];
    this.interval = INTERVALS["1m"];
  }

  /** Replaces the candles (GET /v1/candles rows, oldest first). */
  setCandles(rows, intervalSeconds) {
    this.interval = intervalSeconds;
    this.bars = rows.map((c) => ({ time: Math.floor(c.openTime / 1000), open: Number(c.open), high: Number(c.high),
      low: Number(c.low), close: Number(c.close) }));
    this.series.setData(this.bars.map((b) => ({ ...b })));
  }

  /** The trades since the last repaint: each moves its candle; the chart is updated once per candle touched. */
  trades(list) {
    const touched = [];
    for (const t of list) {
      const bar = foldTrade(this.bars, this.interval, t.ts, t.price);
      if (bar && touched[touched.length - 1] !== bar) touched.push(bar);
    }
    for (const bar of touched) this.series.update({ ...bar });
  }

  /** A horizontal line (mark, index) at `price`, created on first use; null hides it. */
  line(name, price, color) {
    if (price === null || price === undefined) {
      if (this.lines[name]) {
        this.series.removePriceLine(this.lines[name]);
        delete this.lines[name];
      }
      return;
    }
    if (!this.lines[name]) {
      this.lines[name] = this.series.createPriceLine({ price: Number(price), color, lineWidth: 1,
        lineStyle: LineStyle.Dashed, axisLabelVisible: true, title: name });
    } else if (this.lines[name].options().price !== Number(price)) {
      this.lines[name].applyOptions({ price: Number(price) });
    }
  }

  /** How many bars are drawn (for tests and the status line). */
  get barCount() {
    return this.bars.length;
  }

  remove() {
    this.chart.remove();
  }
}
