// The Market page: an instrument's L2 ladder with depth bars and the spread, its trades tape, its candles with the
// mark, index and last price, funding with its countdown, open interest and 24h statistics. Live from the node's
// WebSocket (the book channel, with the gap rule: a delta that does not follow its predecessor resubscribes for a fresh
// snapshot; the ticker and funding channels), the 24h figures from GET /v1/ticker every few seconds. Painted at most
// once a frame (render.js) into elements built once: a busy book changes text and bar widths, never the layout.
import { LocalBook, ladder } from "./book.js";
import { CandleChart, INTERVALS } from "./chart.js";
import { clock, countdown, decimalsOf, fixed, grouped, percent, scaled, fromScaled } from "./format.js";
import { element, frameScheduler, setText } from "./render.js";

const LEVELS = 15;
/** At most ten repaints a second, whatever the feed's rate (the stream is applied to the state at once). */
const REPAINT_MS = 100;
const TAPE = 40;

export class MarketPage {
  /**
   * @param root    the element to fill
   * @param api     async (path) => JSON of a GET
   * @param feed    the page's Feed
   * @param spec    the instrument as GET /v1/instruments lists it
   * @param meter   times each repaint (render.js BusyMeter)
   */
  constructor(root, api, feed, spec, meter = { time: (kind, work) => work() }) {
    this.api = api;
    this.feed = feed;
    this.spec = spec;
    this.priceDecimals = decimalsOf(spec.tickSize);
    this.sizeDecimals = decimalsOf(spec.lotSize);
    this.book = new LocalBook();
    this.trades = [];
    this.pendingTrades = [];
    this.ticker = {};
    this.stats = {};
    this.funding = null;
    this.resyncs = 0;
    this.interval = "1m";
    this.scheduler = frameScheduler(() => meter.time("draw", () => this.draw()), undefined, REPAINT_MS);
    this.build(root);
    this.start();
  }

  build(root) {
    root.replaceChildren();
    const page = element("div", "market");
    root.append(page);

    const strip = element("div", "strip");
    this.fields = {};
    for (const [key, label] of [["last", "Last"], ["mark", "Mark"], ["index", "Index"], ["change", "24h change"],
      ["high", "24h high"], ["low", "24h low"], ["volume", "24h volume"], ["openInterest", "Open interest"],
      ["funding", "Funding / countdown"]]) {
      const cell = element("div", "stat");
      cell.append(element("span", "label", label));
      this.fields[key] = element("span", "value num", "");
      this.fields[key].dataset.field = key;
      cell.append(this.fields[key]);
      strip.append(cell);
    }
    page.append(strip);

    const chartPanel = element("section", "panel chart-panel");
    const bar = element("div", "panel-bar");
    bar.append(element("span", "panel-title", "Chart"));
    this.intervalButtons = {};
    for (const name of Object.keys(INTERVALS)) {
      const b = element("button", name === this.interval ? "interval active" : "interval", name);
      b.addEventListener("click", () => this.setInterval(name));
      this.intervalButtons[name] = b;
      bar.append(b);
    }
    chartPanel.append(bar);
    const chartBox = element("div", "chart");
    chartBox.id = "chart";
    chartPanel.append(chartBox);
    page.append(chartPanel);
    this.chart = new CandleChart(chartBox, this.priceDecimals);

    const bookPanel = element("section", "panel book-panel");
    const bookBar = element("div", "panel-bar");
    bookBar.append(element("span", "panel-title", "Order book"));
    this.bookStatus = element("span", "book-status", "");
    bookBar.append(this.bookStatus);
    bookPanel.append(bookBar);
    const head = element("div", "ladder-head");
    for (const h of ["Price", "Size", "Total"]) head.append(element("span", "num", h));
    bookPanel.append(head);
    const rows = (side) => Array.from({ length: LEVELS }, (_, rank) => {
      const row = element("div", `level ${side}`);
      row.dataset.rank = String(rank); // 0 the best, next to the spread
      const depth = element("div", "depth");
      const price = element("span", "num price");
      const size = element("span", "num");
      const total = element("span", "num");
      row.append(depth, price, size, total);
      return { row, depth, price, size, total };
    });
    this.askRows = rows("ask");
    this.bidRows = rows("bid");
    const ladderBox = element("div", "ladder");
    ladderBox.id = "ladder";
    for (const r of [...this.askRows].reverse()) ladderBox.append(r.row);
    this.spreadRow = element("div", "spread num", "");
    ladderBox.append(this.spreadRow);
    for (const r of this.bidRows) ladderBox.append(r.row);
    bookPanel.append(ladderBox);
    page.append(bookPanel);

    const tapePanel = element("section", "panel tape-panel");
    const tapeBar = element("div", "panel-bar");
    tapeBar.append(element("span", "panel-title", "Trades"));
    tapePanel.append(tapeBar);
    const tapeHead = element("div", "tape-head");
    for (const h of ["Price", "Size", "Time"]) tapeHead.append(element("span", "num", h));
    tapePanel.append(tapeHead);
    const tape = element("div", "tape");
    tape.id = "tape";
    this.tapeRows = Array.from({ length: TAPE }, () => {
      const row = element("div", "trade");
      const cells = [element("span", "num price"), element("span", "num"), element("span", "num time")];
      row.append(...cells);
      tape.append(row);
      return { row, cells };
    });
    tapePanel.append(tape);
    page.append(tapePanel);
  }

  async start() {
    const id = this.spec.id;
    this.feed.subscribe(`book:${id}`, { op: "subscribe", channel: "book", instrument: id, depth: LEVELS },
      (m) => this.onBook(m));
    this.feed.subscribe(`ticker:${id}`, { op: "subscribe", channel: "ticker", instrument: id },
      (m) => this.onTicker(m));
    const [trades, stats] = await Promise.all([this.api(`/v1/trades/${id}?limit=${TAPE}`),
      this.api(`/v1/ticker/${id}`)]);
    for (const t of trades.reverse()) this.addTrade(t.time, t.price, t.quantity, t.side);
    this.onStats(stats);
    if (stats.fundingRate !== null && stats.fundingRate !== undefined) {
      this.feed.subscribe(`funding:${id}`, { op: "subscribe", channel: "funding", instrument: id },
        (m) => this.onFunding(m));
    }
    await this.loadCandles();
    this.statsTimer = setInterval(() => this.api(`/v1/ticker/${id}`).then((s) => this.onStats(s), () => {}), 5000);
    this.clockTimer = setInterval(() => this.scheduler.request(), 1000); // the funding countdown
  }

  async loadCandles() {
    const rows = await this.api(`/v1/candles/${this.spec.id}?interval=${this.interval}&limit=500`);
    this.chart.setCandles(rows, INTERVALS[this.interval]);
    this.scheduler.request();
  }

  setInterval(name) {
    this.interval = name;
    for (const [n, b] of Object.entries(this.intervalButtons)) b.className = n === name ? "interval active" : "interval";
    this.loadCandles();
  }

  onBook(m) {
    switch (m.type) {
      case "snapshot":
        this.book.applySnapshot(m);
        break;
      case "book":
        if (this.book.applyDelta(m) === "gap") {
          this.resyncs++;
          this.feed.resubscribe(`book:${this.spec.id}`); // a fresh snapshot follows
        }
        break;
      case "resync": // the node conflated a slow stream: a fresh snapshot follows
        this.resyncs++;
        break;
      case "trade":
        this.addTrade(m.ts, m.price, m.quantity, m.side);
        this.pendingTrades.push(m); // into the chart at the next repaint, not one chart update per trade
        this.ticker.last = m.price;
        break;
      case "mark":
        this.ticker.mark = m.price;
        break;
      default:
        return;
    }
    this.scheduler.request();
  }

  onTicker(m) {
    if (m.type !== "ticker") return;
    Object.assign(this.ticker, { last: m.last, mark: m.mark, index: m.index });
    this.scheduler.request();
  }

  onStats(s) {
    this.stats = s;
    if (this.ticker.mark === undefined) Object.assign(this.ticker, { last: s.last, mark: s.mark, index: s.index });
    if (!this.funding && s.fundingRate !== null && s.fundingRate !== undefined) {
      this.funding = { rate: s.fundingRate, nextFundingTime: s.nextFundingTime };
    }
    this.scheduler.request();
  }

  onFunding(m) {
    if (m.type === "funding" && m.status === "predicted") {
      this.funding = { rate: m.rate, nextFundingTime: m.nextFundingTime };
      this.scheduler.request();
    }
  }

  addTrade(timeMs, price, quantity, side) {
    this.trades.unshift({ timeMs, price, quantity, side });
    if (this.trades.length > TAPE) this.trades.length = TAPE;
  }

  /** One repaint with the state as it is now. */
  draw() {
    const p = (v) => grouped(fixed(v, this.priceDecimals));
    const q = (v) => fixed(v, this.sizeDecimals);
    const f = this.fields;
    setText(f.last, p(this.ticker.last));
    setText(f.mark, p(this.ticker.mark));
    setText(f.index, p(this.ticker.index) || "none");
    // priceChangePercent is already in percent ("1.25" is 1.25%).
    setText(f.change, this.stats.priceChangePercent == null ? "" : `${fixed(this.stats.priceChangePercent, 2)
      .replace(/^(?!-)/, "+")}%`);
    const changeClass = `value num ${String(this.stats.priceChange ?? "").startsWith("-") ? "down" : "up"}`;
    if (f.change.className !== changeClass) f.change.className = changeClass;
    setText(f.high, p(this.stats.high));
    setText(f.low, p(this.stats.low));
    setText(f.volume, grouped(q(this.stats.volume)));
    setText(f.openInterest, grouped(q(this.stats.openInterest)));
    setText(f.funding, this.funding ? `${percent(this.funding.rate, 4)} / ${countdown(this.funding.nextFundingTime
      - Date.now())}` : "none");

    const l = ladder(this.book, LEVELS, this.sizeDecimals);
    const paint = (rows, levels) => rows.forEach((r, i) => {
      const level = levels[i];
      setText(r.price, level ? p(level.price) : "");
      setText(r.size, level ? q(level.quantity) : "");
      setText(r.total, level ? level.total : "");
      // A transform, not a width: the bar moves on the compositor without a layout of the ladder.
      const scale = `scaleX(${level ? Math.round(level.share * 1000) / 1000 : 0})`;
      if (r.depth.style.transform !== scale) r.depth.style.transform = scale;
    });
    paint(this.askRows, l.asks);
    paint(this.bidRows, l.bids);
    if (l.spread) {
      const spread = fromScaled(scaled(l.spread.ask, this.priceDecimals) - scaled(l.spread.bid, this.priceDecimals),
        this.priceDecimals);
      setText(this.spreadRow, `Spread ${p(spread)}`);
    } else {
      setText(this.spreadRow, "Spread -");
    }
    setText(this.bookStatus, this.book.live ? `seq ${this.book.sequence}` : "resyncing");
    this.bookStatus.dataset.resyncs = String(this.resyncs);

    this.tapeRows.forEach((r, i) => {
      const t = this.trades[i];
      setText(r.cells[0], t ? p(t.price) : "");
      setText(r.cells[1], t ? q(t.quantity) : "");
      setText(r.cells[2], t ? clock(t.timeMs) : "");
      const className = t ? `trade ${t.side === "buy" ? "up" : "down"}` : "trade";
      if (r.row.className !== className) r.row.className = className;
    });
    if (this.pendingTrades.length > 0) {
      this.chart.trades(this.pendingTrades);
      this.pendingTrades = [];
    }
    this.chart.line("mark", this.ticker.mark, "#f0b90b");
    this.chart.line("index", this.ticker.index, "#8e7cc3");
  }

  /** Leaves the page: its streams and timers stop. */
  close() {
    const id = this.spec.id;
    for (const key of [`book:${id}`, `ticker:${id}`, `funding:${id}`]) this.feed.unsubscribe(key);
    clearInterval(this.statsTimer);
    clearInterval(this.clockTimer);
    this.chart.remove();
  }
}
