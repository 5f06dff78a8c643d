// The local order book of one depth-limited book subscription (docs/api.md, "Book stream"): a snapshot, then deltas
// applied only when `prev` is the l2 sequence last applied. A delta that does not follow is a gap: the book says so and
// the caller subscribes again for a fresh snapshot. Levels are kept as exact decimal strings keyed by their canonical
// form, so "50000.10" and "50000.1" are one level.
import { fromScaled, scaled } from "./format.js";

/** The canonical text of a decimal (no trailing fraction zeros, no leading zeros): the key of a level. */
export function canonical(price) {
  let text = String(price);
  if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
  const negative = text.startsWith("-");
  const body = (negative ? text.slice(1) : text).replace(/^0+(?=\d)/, "");
  return (negative && body !== "0" ? "-" : "") + body;
}

export class LocalBook {
  constructor() {
    this.bids = new Map(); // canonical price -> [price, quantity]
    this.asks = new Map();
    this.l2Sequence = null; // null until a snapshot: every delta before it is ignored
    this.sequence = 0;
    this.ts = 0;
  }

  /** Starts over from a `snapshot` message. */
  applySnapshot(m) {
    this.bids.clear();
    this.asks.clear();
    for (const [p, q] of m.bids) this.bids.set(canonical(p), [p, q]);
    for (const [p, q] of m.asks) this.asks.set(canonical(p), [p, q]);
    this.l2Sequence = m.l2Sequence;
    this.sequence = m.sequence;
    this.ts = m.ts;
  }

  /**
   * Applies a `book` delta. Returns "applied", "stale" (an old delta, already in the snapshot: ignored) or "gap"
   * (something was missed: the book is no longer right; subscribe again).
   */
  applyDelta(m) {
    if (this.l2Sequence === null) return "stale";
    if (m.last <= this.l2Sequence) return "stale";
    if (m.prev !== this.l2Sequence) {
      this.l2Sequence = null;
      return "gap";
    }
    for (const [side, levels] of [[this.bids, m.bids], [this.asks, m.asks]]) {
      for (const [p, q] of levels) {
        const key = canonical(p);
        if (canonical(q) === "0") side.delete(key);
        else side.set(key, [p, q]);
      }
    }
    this.l2Sequence = m.last;
    this.sequence = m.sequence;
    this.ts = m.ts;
    return "applied";
  }

  /** Whether the book follows the stream (a snapshot applied and no gap since). */
  get live() {
    return this.l2Sequence !== null;
  }

  /** The best `n` levels of a side, best first: [price, quantity] strings. */
  top(side, n) {
    const levels = [...(side === "bids" ? this.bids : this.asks).values()];
    levels.sort((a, b) => (side === "bids" ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0])));
    return levels.slice(0, n);
  }

  /** The best bid and ask prices (strings) or null. */
  best() {
    const bid = this.top("bids", 1)[0];
    const ask = this.top("asks", 1)[0];
    return { bid: bid ? bid[0] : null, ask: ask ? ask[0] : null };
  }
}

/**
 * The ladder to draw: `n` rows a side, each with its price, size and the running total from the best level, and
 * each row's share of the larger side's total (the depth bar, 0..1); rows past the book's depth are null so the
 * ladder always has 2n rows (no layout shift). Sizes are summed exactly at `sizeDecimals`.
 */
export function ladder(book, n, sizeDecimals) {
  const side = (name) => {
    let total = 0n;
    const rows = book.top(name, n).map(([price, quantity]) => {
      total += scaled(quantity, sizeDecimals);
      return { price, quantity, total };
    });
    return { rows, total };
  };
  const bids = side("bids");
  const asks = side("asks");
  const max = bids.total > asks.total ? bids.total : asks.total;
  const finish = (rows) => {
    const out = rows.map((r) => ({ price: r.price, quantity: r.quantity, total: fromScaled(r.total, sizeDecimals),
      share: max === 0n ? 0 : Number((r.total * 10000n) / max) / 10000 }));
    while (out.length < n) out.push(null);
    return out;
  };
  const best = book.best();
  return {
    bids: finish(bids.rows),
    asks: finish(asks.rows),
    spread: best.bid !== null && best.ask !== null ? { bid: best.bid, ask: best.ask } : null,
  };
}
