// The Options page: an index's live chain (GET /v1/options: each series' bid and ask, mark, mark volatility and
// greeks), calls and puts side by side by strike, one table per expiry; the smile of each expiry (mark volatility by
// strike, drawn as SVG); and, with a signer, the account's option greeks and the margin its options need in standard
// and in portfolio mode (GET /v1/greeks). Read every 5 s. A series' bid or ask opens the Trade page's ticket on it:
// sell at the bid, buy at the ask, at that price (trade.js signs and places it; nothing is sent from here).
import { clock, decimalsOf, fixed, grouped } from "./format.js";
import { byExpiry } from "./chain.js";
import { AgentKeySigner, DevKeySigner, RequestSigner } from "./keys.js";
import { ticketFromQuote } from "./orders.js";
import { element, setText } from "./render.js";
import { openTicket } from "./trade.js";

const QUOTES = { bestBid: "bid", bestAsk: "ask" };

const SVG = "http://www.w3.org/2000/svg";
const COLOURS = ["#f0b90b", "#26a69a", "#8e7cc3", "#ef5350", "#4fc3f7"];

const number = (v, digits) => (v === null || v === undefined ? "" : Number(v).toFixed(digits));
const vol = (v) => (v === null || v === undefined ? "" : `${(Number(v) * 100).toFixed(1)}%`);

export class OptionsPage {
  constructor(root, api, http, instruments, indexes) {
    this.api = api;
    this.http = http;
    this.instruments = new Map(instruments.map((i) => [i.id, i]));
    this.indexes = indexes.filter((ix) => instruments.some((i) => i.kind === "option" && i.index === ix.id));
    this.index = this.indexes[0];
    this.build(root);
    AgentKeySigner.load().catch(() => null).then((agent) => {
      const signer = agent ?? DevKeySigner.load();
      this.signer = signer ? new RequestSigner(signer, (path, body) => this.http.post(path, body)) : null;
      this.poll();
    });
    this.timer = setInterval(() => this.poll(), 5000);
  }

  build(root) {
    root.replaceChildren();
    const page = element("div", "account options");
    root.append(page);
    this.head = element("div", "who", this.index ? `${this.index.symbol}` : "No index has options on this venue.");
    page.append(this.head);
    const smile = element("section", "panel");
    smile.append(element("div", "panel-bar", "Smile: mark volatility by strike, per expiry"));
    this.smile = document.createElementNS(SVG, "svg");
    this.smile.setAttribute("class", "smile");
    this.smile.id = "smile";
    smile.append(this.smile);
    page.append(smile);
    this.chainBox = element("div", "chains");
    this.chainBox.id = "chain";
    // One listener for every quote cell (the tables are redrawn every 5 s): the cell names its series and side.
    this.chainBox.addEventListener("click", (e) => {
      const cell = e.target.closest("td.quote");
      const series = cell && this.series.get(Number(cell.dataset.instrument));
      const ticket = series && ticketFromQuote(series, cell.dataset.quote);
      if (ticket) openTicket({ ...ticket, from: "the options chain" });
    });
    this.series = new Map();
    page.append(this.chainBox);
    const portfolio = element("section", "panel");
    portfolio.append(element("div", "panel-bar", "Your option greeks and margin"));
    this.portfolio = element("div", "panel-body");
    this.portfolio.id = "portfolio";
    portfolio.append(this.portfolio);
    page.append(portfolio);
  }

  async poll() {
    if (!this.index) return;
    const chain = await this.api(`/v1/options?index=${this.index.id}`);
    setText(this.head, `${this.index.symbol} ${chain.indexPrice ?? "(no index price yet)"}`);
    this.series = new Map(chain.series.map((s) => [s.instrument, s]));
    const groups = byExpiry(chain.series);
    this.drawChains(groups);
    this.drawSmile(groups);
    if (this.signer) {
      const token = await this.signer.readToken();
      const greeks = await this.http.get(`/v1/greeks?address=${this.signer.signer.address}`, token).catch(() => null);
      if (greeks) this.drawPortfolio(greeks);
    } else {
      setText(this.portfolio, "No signer: make a dev key or connect a wallet on the Trade page.");
    }
  }

  drawChains(groups) {
    const side = ["bestBid", "bestAsk", "mark", "markVolatility", "delta", "gamma", "vega", "thetaPerDay"];
    const digits = { delta: 3, gamma: 7, vega: 2, thetaPerDay: 2 };
    this.chainBox.replaceChildren(...groups.map((g) => {
      const panel = element("section", "panel");
      panel.append(element("div", "panel-bar", `Expiry ${new Date(g.expiry).toISOString().slice(0, 16)} UTC`));
      const table = element("table", "grid chain");
      const head = element("tr");
      const heads = ["Bid", "Ask", "Mark", "IV", "Delta", "Gamma", "Vega", "Theta/day"];
      for (const h of [...heads, "Strike", ...heads]) {
        head.append(element("th", "num", h));
      }
      table.append(head);
      for (const row of g.strikes) {
        const tr = element("tr");
        tr.dataset.strike = row.strike;
        const cells = (s, right) => side.map((key) => {
          const value = !s ? "" : key === "markVolatility" ? vol(s[key]) : key in digits ? number(s[key], digits[key])
            : s[key] === null ? "" : grouped(fixed(s[key], decimalsOf(this.instruments.get(s.instrument)?.tickSize
              ?? "1")));
          const quote = s && key in QUOTES && value !== "";
          const td = element("td", `num ${right}${quote ? " quote" : ""}`, value);
          td.dataset.field = `${right}.${key}`;
          if (quote) {
            td.dataset.instrument = String(s.instrument);
            td.dataset.quote = QUOTES[key];
            td.title = `${QUOTES[key] === "bid" ? "sell at the bid" : "buy at the ask"}: open the order ticket`;
          }
          return td;
        });
        tr.append(...cells(row.call, "call"), element("td", "num strike", grouped(row.strike)),
          ...cells(row.put, "put"));
        table.append(tr);
      }
      panel.append(table);
      return panel;
    }));
  }

  /** Each expiry's mark volatility against strike, scaled into the box, with the strikes and vols as axis labels. */
  drawSmile(groups) {
    const width = 900;
    const height = 180;
    const points = groups.flatMap((g) => g.strikes.flatMap((k) => [k.call, k.put]).filter((s) => s
      && s.markVolatility !== null));
    this.smile.setAttribute("viewBox", `0 0 ${width} ${height}`);
    this.smile.replaceChildren();
    if (points.length === 0) return;
    const xs = points.map((s) => Number(s.strike));
    const ys = points.map((s) => Number(s.markVolatility));
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const x = (v) => 50 + ((v - x0) / (x1 - x0 || 1)) * (width - 70);
    const y = (v) => height - 25 - ((v - y0) / (y1 - y0 || 1)) * (height - 45);
    groups.forEach((g, i) => {
      const line = g.strikes.map((k) => k.call ?? k.put).filter((s) => s && s.markVolatility !== null);
      if (line.length === 0) return;
      const path = document.createElementNS(SVG, "polyline");
      path.setAttribute("points", line.map((s) => `${x(Number(s.strike))},${y(Number(s.markVolatility))}`).join(" "));
      path.setAttribute("fill", "none");
      path.setAttribute("stroke", COLOURS[i % COLOURS.length]);
      path.setAttribute("stroke-width", "2");
      path.setAttribute("class", "smile-line");
      this.smile.append(path);
    });
    const label = (text, lx, ly, anchor) => {
      const t = document.createElementNS(SVG, "text");
      t.textContent = text;
      t.setAttribute("x", lx);
      t.setAttribute("y", ly);
      t.setAttribute("text-anchor", anchor);
      t.setAttribute("class", "axis");
      this.smile.append(t);
    };
    label(grouped(String(x0)), x(x0), height - 5, "start");
    label(grouped(String(x1)), x(x1), height - 5, "end");
    label(vol(y1), 45, y(y1) + 4, "end");
    label(vol(y0), 45, y(y0) + 4, "end");
  }

  drawPortfolio(g) {
    const net = g.net.map((n) => `delta ${number(n.delta, 4)}, gamma ${number(n.gamma, 7)}, vega ${number(n.vega, 2)}, `
      + `theta/day ${number(n.thetaPerDay, 2)}`);
    const margin = g.margin.map((m) => `${m.mode} mode: initial ${grouped(m.initialMargin)} ${m.settle}; standard `
      + `would need ${grouped(m.standardInitialMargin)}, portfolio ${grouped(m.portfolioInitialMargin)}`);
    this.portfolio.replaceChildren(...[...net, ...margin].map((line) => element("div", "num left", line)),
      element("div", "num left muted", g.positions.length === 0 ? "no option positions" : `${g.positions.length}`
        + ` option positions, read at ${clock(Date.now())}`));
  }

  close() {
    clearInterval(this.timer);
  }
}
