// The Risk page (public): the insurance fund per asset (GET /v1/insurance-fund, read every 5 s; the first asset's
// balance drawn from the node's history of it, GET /v1/insurance-fund/history at one point a minute, then extended
// by each read) and the positions it took over; every perpetual's mark against its index; the liquidations
// feed (the liquidations channel of every perpetual: book liquidations, takeovers by the fund or the backstop, and
// auto-deleveraging, marked as such); the risk parameters in force (GET /v1/risk-parameters: the multiplier, the first
// margin tier, position limit, price band, the governance bounds and the next announced change).
import { LineSeries, createChart } from "/terminal/vendor/lightweight-charts.mjs";
import { clock, decimalsOf, fixed, grouped, percent } from "./format.js";
import { extendPoints, historyPoints } from "./ledger.js";
import { element, setText } from "./render.js";

const FEED = 50;

/** The deviation of the mark from the index, as a fraction's decimal string (exact enough to print to 4 places). */
export function deviation(mark, index) {
  if (mark === null || mark === undefined || index === null || index === undefined || Number(index) === 0) return null;
  return String((Number(mark) - Number(index)) / Number(index));
}

export class RiskPage {
  constructor(root, api, feed, instruments) {
    this.api = api;
    this.feed = feed;
    this.perpetuals = instruments.filter((i) => i.kind === "perpetual");
    this.liquidations = [];
    this.build(root);
    this.history = this.loadHistory();
    this.poll();
    this.timer = setInterval(() => this.poll(), 5000);
    for (const p of this.perpetuals) {
      this.feed.subscribe(`liquidations:${p.id}`, { op: "subscribe", channel: "liquidations", instrument: p.id },
        (m) => this.onLiquidation(p, m));
    }
  }

  build(root) {
    root.replaceChildren();
    const page = element("div", "account risk");
    root.append(page);
    const panel = (title, id) => {
      const p = element("section", "panel");
      p.append(element("div", "panel-bar", title));
      const body = element("div", "panel-body");
      body.id = id;
      p.append(body);
      page.append(p);
      return body;
    };
    this.fundBox = panel("Insurance fund", "fund");
    const chartBox = element("div", "fund-chart");
    chartBox.id = "fund-chart";
    page.children[0].append(chartBox);
    this.chart = createChart(chartBox, { autoSize: true, height: 160,
      layout: { background: { color: "#0f1318" }, textColor: "#9aa4b2", fontSize: 11 },
      grid: { vertLines: { color: "#1b222b" }, horzLines: { color: "#1b222b" } },
      timeScale: { timeVisible: true, secondsVisible: true } });
    this.series = this.chart.addSeries(LineSeries, { color: "#f0b90b", lineWidth: 2 });
    this.points = [];
    this.historyNote = element("div", "panel-body label");
    this.historyNote.id = "fund-history-note";
    page.children[0].append(this.historyNote);
    this.markBox = panel("Mark against index", "mark-index");
    this.feedBox = panel("Liquidations and auto-deleveraging", "liquidations");
    this.paramsBox = panel("Risk parameters in force", "risk-parameters");
  }

  /**
   * The first asset's fund balance before the page opened: the node's history at one point a minute (1,000 minutes at
   * most), drawn first; the live reads extend it (they wait for it, so time only moves forward on the chart).
   */
  async loadHistory() {
    try {
      const fund = await this.api("/v1/insurance-fund");
      const first = fund.assets[0];
      if (!first) return;
      const history = await this.api(`/v1/insurance-fund/history?asset=${first.assetId}&interval=1m&limit=1000`);
      this.points = historyPoints(history.entries);
      this.series.setData(this.points);
      setText(this.historyNote, `${history.asset} balance: ${history.entries.length} minute(s) in which it moved,`
        + " from the node's history, then live");
    } catch (e) {
      setText(this.historyNote, `no history: ${e.message}`);
    }
  }

  async poll() {
    await this.history;
    const [fund, tickers, params] = await Promise.all([this.api("/v1/insurance-fund"), this.api("/v1/ticker"),
      this.api("/v1/risk-parameters").catch(() => [])]);
    this.drawFund(fund);
    this.drawMarks(tickers);
    this.drawParams(params);
  }

  drawFund(fund) {
    const rows = fund.assets.map((a) => {
      const row = element("div", "fund-row num");
      row.dataset.asset = a.asset;
      row.append(element("span", "label", a.asset), element("span", "num balance", grouped(a.balance)),
        element("span", "num", `equity ${grouped(a.equity)}`),
        element("span", "num", `unrealised ${grouped(a.unrealizedPnl)}`),
        element("span", "num", `realised ${grouped(a.realizedPnl)}`));
      return row;
    });
    for (const i of fund.inventory) {
      rows.push(element("div", "fund-row num", `holds ${i.size} ${i.symbol} taken over from liquidations`));
    }
    this.fundBox.replaceChildren(...rows);
    const first = fund.assets[0];
    if (first) {
      const time = Math.floor(Date.now() / 1000);
      if (this.points.length === 0 || this.points[this.points.length - 1].time < time) {
        extendPoints(this.points, { time, value: Number(first.balance) });
        this.series.update(this.points[this.points.length - 1]);
      }
    }
  }

  drawMarks(tickers) {
    const rows = [];
    for (const t of tickers) {
      const spec = this.perpetuals.find((p) => p.id === t.instrument);
      if (!spec) continue;
      const d = decimalsOf(spec.tickSize);
      const dev = deviation(t.mark, t.index);
      const row = element("div", "row3 num");
      row.append(element("span", "label", spec.symbol), element("span", "num", `mark ${grouped(fixed(t.mark, d))}`),
        element("span", "num", t.index === null ? "no index (operator-marked)" : `index ${grouped(fixed(t.index, d))}`),
        element("span", `num ${dev !== null && Number(dev) < 0 ? "down" : "up"}`, dev === null ? "" : percent(dev, 3)));
      rows.push(row);
    }
    this.markBox.replaceChildren(...rows);
  }

  onLiquidation(spec, m) {
    if (m.type !== "liquidation") return;
    this.liquidations.unshift({ spec, ...m });
    if (this.liquidations.length > FEED) this.liquidations.length = FEED;
    const d = decimalsOf(spec.tickSize);
    this.feedBox.replaceChildren(...this.liquidations.map((l) => {
      const row = element("div", `row3 num ${l.via === "adl" ? "adl" : l.side === "buy" ? "up" : "down"}`);
      row.append(element("span", "label", l.spec.symbol), element("span", "num", `${l.side} ${l.quantity}`),
        element("span", "num", `at ${grouped(fixed(l.price, d))}`),
        element("span", "num", l.via === "adl" ? "auto-deleveraged" : l.via ? `to the ${l.via}` : "in the book"),
        element("span", "num time", clock(l.ts)));
      return row;
    }));
  }

  drawParams(params) {
    this.paramsBox.replaceChildren(...params.map((p) => {
      const tier = p.tiers && p.tiers[0];
      const row = element("div", "row3 num");
      row.dataset.instrument = String(p.instrument);
      row.append(element("span", "label", p.symbol), element("span", "num multiplier", `multiplier x${p.multiplier}`),
        element("span", "num", tier ? `initial ${percent(tier.initialMarginRate, 2)}, maintenance `
          + `${percent(tier.maintenanceMarginRate, 2)}, up to ${tier.maxLeverage}x` : ""),
        element("span", "num", p.positionLimit === null ? "no position limit" : `limit ${p.positionLimit}`),
        element("span", "num", p.priceBand === null ? "no price band" : `band ${percent(p.priceBand, 2)}`),
        element("span", "num", p.next ? `next x${p.next.multiplier} at ${clock(p.next.at)}` : ""));
      return row;
    }));
  }

  close() {
    clearInterval(this.timer);
    for (const p of this.perpetuals) this.feed.unsubscribe(`liquidations:${p.id}`);
    this.chart.remove();
  }
}
