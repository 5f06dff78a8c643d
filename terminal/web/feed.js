// The page's one WebSocket to the node: subscriptions by key, re-sent after a reconnect (with a growing delay, at most
// 10 s), and each message handed to the handler of the subscription it belongs to. Book messages of an instrument go to
// its book subscription (snapshot, deltas, and the trades and marks the book channel carries); `ticker`, `funding`
// messages to theirs. Handlers run on the page's main thread as messages arrive: they must only update state and ask
// for a repaint (see render.js), never draw.

/** A meter that only runs the work (when the page measures nothing). */
const UNMETERED = { time: (kind, work) => work() };

export class Feed {
  /**
   * @param url      the node's WebSocket address (ws://host/ws)
   * @param onStatus called with "connecting", "open" or "closed" and a detail
   * @param meter    times each message's handling (render.js BusyMeter)
   */
  constructor(url, onStatus = () => {}, socketFactory = (u) => new WebSocket(u), meter = UNMETERED) {
    this.url = url;
    this.meter = meter;
    this.onStatus = onStatus;
    this.socketFactory = socketFactory;
    this.subscriptions = new Map(); // key -> { request, handler }
    this.confirmed = new Set(); // keys the node has answered "subscribed" to on this connection
    this.status = "connecting";
    this.delay = 500;
    this.closed = false;
    this.received = 0;
    this.connect();
  }

  /** Reports a status to the page and remembers it (an error stays shown until a later subscription succeeds). */
  report(status, detail) {
    this.status = status;
    this.onStatus(status, detail);
  }

  connect() {
    this.confirmed.clear();
    this.report("connecting", this.url);
    const ws = this.socketFactory(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.delay = 500;
      this.report("open", this.url);
      for (const { request } of this.subscriptions.values()) ws.send(JSON.stringify(request));
    };
    ws.onmessage = (event) => this.meter.time("message", () => this.dispatch(JSON.parse(event.data)));
    ws.onclose = () => {
      this.confirmed.clear();
      if (this.closed) return;
      this.report("closed", `reconnecting in ${Math.round(this.delay / 1000)} s`);
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 10_000);
    };
  }

  /** Subscribes (again, after a reconnect) with `request`; `handler` gets every message of the stream. */
  subscribe(key, request, handler) {
    this.subscriptions.set(key, { request, handler });
    this.confirmed.delete(key);
    this.send(request);
  }

  /**
   * Whether the node has confirmed this subscription on the current connection. A refused one (the account stream
   * of an address whose account a first deposit has not opened yet, say) is not retried by the feed: the page asks
   * again, with a fresh request, when it next refreshes.
   */
  isConfirmed(key) {
    return this.confirmed.has(key);
  }

  /** Sends the subscription's request again: a book answers with a fresh snapshot (the gap rule). */
  resubscribe(key) {
    const s = this.subscriptions.get(key);
    if (s) this.send(s.request);
  }

  unsubscribe(key) {
    const s = this.subscriptions.get(key);
    if (!s) return;
    this.subscriptions.delete(key);
    this.confirmed.delete(key);
    const { channel, instrument, address, account } = s.request;
    this.send(channel === "account" ? { op: "unsubscribe", channel, ...(address ? { address } : { account }) }
      : { op: "unsubscribe", channel, instrument });
  }

  send(message) {
    if (this.ws && this.ws.readyState === 1) this.ws.send(JSON.stringify(message));
  }

  /** Which subscription a message belongs to, by its channel (the book channel's when it names none). */
  static keyOf(m) {
    // The account stream's messages name their account (public messages never do).
    if (m.channel === "account" || (m.account !== undefined && m.type !== "error")) return "account";
    // The trades and liquidations channels name themselves on every message (the book channel's carry none).
    if (m.channel !== undefined && m.instrument !== undefined) return `${m.channel}:${m.instrument}`;
    switch (m.type) {
      case "ticker":
        return `ticker:${m.instrument}`;
      case "funding":
        return `funding:${m.instrument}`;
      case "subscribed":
      case "unsubscribed":
      case "resync":
        return `${m.channel ?? "book"}:${m.instrument}`;
      case "error":
        return null;
      default: // snapshot, book, trade, mark, liquidation, expiry, settlement, riskScale, proposal
        return `book:${m.instrument}`;
    }
  }

  dispatch(m) {
    this.received++;
    if (m.type === "error") {
      this.report("error", `${m.code} ${m.message}`);
      return;
    }
    const key = Feed.keyOf(m);
    if (m.type === "subscribed") {
      this.confirmed.add(key);
      if (this.status === "error") this.report("open", this.url);
    }
    const s = this.subscriptions.get(key);
    if (s) s.handler(m);
  }

  close() {
    this.closed = true;
    if (this.ws) this.ws.close();
  }
}
