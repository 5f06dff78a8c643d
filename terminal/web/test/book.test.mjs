import { test } from "node:test";
import assert from "node:assert/strict";
import { canonical, ladder, LocalBook } from "../book.js";

const snapshot = { type: "snapshot", instrument: 1, sequence: 812, ts: 1, l2Sequence: 4410, depth: 3,
  bids: [["49999.9", "0.012"], ["49999.8", "0.3"], ["49999.5", "1"]],
  asks: [["50000.1", "0.004"], ["50000.2", "0.2"], ["50000.4", "0.1"]] };

test("canonical decimals key one level", () => {
  assert.equal(canonical("50000.10"), "50000.1");
  assert.equal(canonical("050000.0"), "50000");
  assert.equal(canonical("0.000"), "0");
});

test("the documented sweep: three asks leave, the three below enter", () => {
  const book = new LocalBook();
  book.applySnapshot(snapshot);
  const result = book.applyDelta({ type: "book", instrument: 1, sequence: 815, ts: 2, first: 4411, last: 4413,
    prev: 4410, bids: [], asks: [["50000.1", "0"], ["50000.2", "0"], ["50000.4", "0"], ["50000.6", "0.5"],
      ["50000.7", "0.02"], ["50001", "2"]] });
  assert.equal(result, "applied");
  assert.deepEqual(book.top("asks", 3), [["50000.6", "0.5"], ["50000.7", "0.02"], ["50001", "2"]]);
  assert.deepEqual(book.best(), { bid: "49999.9", ask: "50000.6" });
});

test("a delta that does not follow is a gap; old ones are stale; nothing applies before a snapshot", () => {
  const book = new LocalBook();
  assert.equal(book.applyDelta({ prev: 1, last: 2, bids: [], asks: [] }), "stale");
  book.applySnapshot(snapshot);
  assert.equal(book.applyDelta({ prev: 4409, last: 4410, bids: [["1", "1"]], asks: [] }), "stale");
  assert.equal(book.applyDelta({ prev: 4411, last: 4412, bids: [["1", "1"]], asks: [] }), "gap");
  assert.equal(book.live, false);
  assert.equal(book.applyDelta({ prev: 4412, last: 4413, bids: [], asks: [] }), "stale", "no deltas until a snapshot");
  book.applySnapshot({ ...snapshot, l2Sequence: 4420 });
  assert.equal(book.live, true);
  assert.equal(book.applyDelta({ prev: 4420, last: 4421, bids: [["49999.9", "0"]], asks: [] }), "applied");
  assert.equal(book.best().bid, "49999.8");
});

test("the ladder has fixed rows, exact running totals and depth shares", () => {
  const book = new LocalBook();
  book.applySnapshot(snapshot);
  const l = ladder(book, 5, 3);
  assert.equal(l.bids.length, 5);
  assert.equal(l.asks.length, 5);
  assert.equal(l.bids[3], null);
  assert.deepEqual(l.bids.slice(0, 3).map((r) => r.total), ["0.012", "0.312", "1.312"]);
  assert.deepEqual(l.asks.slice(0, 3).map((r) => r.total), ["0.004", "0.204", "0.304"]);
  assert.equal(l.bids[2].share, 1);
  assert.ok(Math.abs(l.asks[2].share - 0.304 / 1.312) < 1e-4);
  assert.deepEqual(l.spread, { bid: "49999.9", ask: "50000.1" });
  assert.equal(ladder(new LocalBook(), 2, 3).spread, null);
});

test("a seeded random stream rebuilds the same book as a naive reference", () => {
  const seed = Number(process.env.TERMINAL_SEED ?? Date.now() % 1_000_000);
  console.log(`book differential seed=${seed} (rerun with TERMINAL_SEED=${seed})`);
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const reference = { bids: new Map(), asks: new Map() };
  const book = new LocalBook();
  book.applySnapshot({ ...snapshot, bids: [], asks: [], l2Sequence: 0 });
  for (let l2 = 1; l2 <= 500; l2++) {
    const delta = { prev: l2 - 1, last: l2, bids: [], asks: [] };
    for (let k = 0; k < 3; k++) {
      const side = next() < 0.5 ? "bids" : "asks";
      const price = (side === "bids" ? 49_990 : 50_000) + Math.floor(next() * 10);
      const quantity = next() < 0.3 ? "0" : (Math.floor(next() * 1000) / 1000).toFixed(3);
      delta[side].push([String(price), quantity]);
      if (Number(quantity) === 0) reference[side].delete(price);
      else reference[side].set(price, quantity);
    }
    assert.equal(book.applyDelta(delta), "applied");
  }
  for (const side of ["bids", "asks"]) {
    const expected = [...reference[side].entries()].sort((a, b) => (side === "bids" ? b[0] - a[0] : a[0] - b[0]))
      .map(([p, q]) => [String(p), q]);
    assert.deepEqual(book.top(side, 100), expected, side);
  }
});
