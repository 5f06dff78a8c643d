import { test } from "node:test";
import assert from "node:assert/strict";
import { amendBody, ticketFromQuote } from "../orders.js";
import { increase, intervalMeanMicros, memberLines, Ring, sparkline } from "../history.js";
import { parseMetrics, total } from "../metrics.js";

const resting = { orderId: 41, type: "limit", side: "buy", price: "49000.0", quantity: "0.010", triggerPrice: null };
const stop = { orderId: 42, type: "stop_limit", side: "sell", price: "48000.0", quantity: "0.020",
  triggerPrice: "48500.0" };

test("an amend carries only what changed, by the order's id", () => {
  assert.deepEqual(amendBody(1, resting, { price: "49100", quantity: "0.010", triggerPrice: "" }),
    { instrument: 1, orderId: 41, price: "49100" });
  assert.deepEqual(amendBody(1, resting, { price: "49000", quantity: " 0.030 " }),
    { instrument: 1, orderId: 41, quantity: "0.030" }, "49000 is the order's 49000.0: unchanged");
  assert.deepEqual(amendBody(1, stop, { price: "47900", quantity: "0.020", triggerPrice: "48400" }),
    { instrument: 1, orderId: 42, price: "47900", triggerPrice: "48400" }, "a stop's trigger moves (AmendTrigger)");
});

test("an amend that changes nothing, or moves a trigger a plain order has not, is refused before signing", () => {
  assert.throws(() => amendBody(1, resting, { price: "49000.0", quantity: "0.01" }), /give a new price/);
  assert.throws(() => amendBody(1, resting, {}), /give a new price/);
  assert.throws(() => amendBody(1, resting, { triggerPrice: "50000" }), /triggerPrice: only a stop/);
  assert.throws(() => amendBody(1, { ...resting, type: "market", price: null }, { price: "1" }), /market order/);
});

test("a quote of the chain fills a ticket: sell at the bid, buy at the ask, at that price", () => {
  const series = { instrument: 9, symbol: "BTC-20270129-55000-C", bestBid: "1200.5", bestAsk: "1250.0" };
  assert.deepEqual(ticketFromQuote(series, "bid"),
    { symbol: "BTC-20270129-55000-C", side: "sell", type: "limit", price: "1200.5" });
  assert.deepEqual(ticketFromQuote(series, "ask"),
    { symbol: "BTC-20270129-55000-C", side: "buy", type: "limit", price: "1250.0" });
  assert.equal(ticketFromQuote({ ...series, bestAsk: null }, "ask"), null, "no ask: no ticket");
  assert.equal(ticketFromQuote(series, "mark"), null);
});

test("the ring keeps the newest points, oldest first, and never grows past its size", () => {
  const seed = Number(process.env.TERMINAL_SEED ?? Date.now() % 1_000_000);
  console.log(`ring seed ${seed} (TERMINAL_SEED=${seed} replays it)`);
  let state = seed;
  const random = () => { state = (state * 1103515245 + 12345) % 2147483648; return state / 2147483648; };
  const capacity = 1 + Math.floor(random() * 20);
  const ring = new Ring(capacity);
  const all = [];
  for (let i = 0; i < 200; i++) {
    const value = Math.floor(random() * 1000);
    ring.push(i, value);
    all.push([i, value]);
    assert.deepEqual(ring.points(), all.slice(-capacity), `after ${i + 1} pushes, capacity ${capacity}`);
    assert.equal(ring.last(), value);
  }
  ring.push(201, NaN);
  ring.push(202, null);
  assert.equal(ring.size, capacity, "a figure not given is skipped, not a zero");
  assert.throws(() => new Ring(0), /capacity/);
});

test("the sparkline spans the box: time across, value up", () => {
  assert.equal(sparkline([], 100, 10), "");
  assert.equal(sparkline([[0, 1], [5, 3], [10, 2]], 100, 10), "0,10 50,0 100,5");
  assert.equal(sparkline([[0, 7], [1, 7]], 100, 10), "0,5 100,5", "a flat series along the middle");
  assert.equal(sparkline([[3, 7]], 100, 10), "100,5");
});

test("counters are drawn as their increase per read, summaries as the mean of the read's observations", () => {
  const read = (rejects, sum, count) => parseMetrics([`meridian_rejects_total{code="2008"} ${rejects}`,
    `meridian_command_latency_seconds_sum ${sum}`, `meridian_command_latency_seconds_count ${count}`].join("\n"));
  const a = read(3, 0.5, 1000);
  const b = read(7, 0.52, 1010);
  assert.equal(increase(b, null, "meridian_rejects_total", total), 0, "the first read has no increase");
  assert.equal(increase(b, a, "meridian_rejects_total", total), 4);
  assert.equal(increase(a, b, "meridian_rejects_total", total), 0, "a restarted node counts from 0 again");
  assert.ok(Math.abs(intervalMeanMicros(b, a, "meridian_command_latency_seconds", total) - 2000) < 1e-6);
  assert.equal(intervalMeanMicros(a, a, "meridian_command_latency_seconds", total), null, "no command: no latency");
  assert.equal(intervalMeanMicros(a, null, "meridian_command_latency_seconds", total), null);
});

test("a cluster gateway's members are listed one by one; a single node has none", () => {
  assert.deepEqual(memberLines({ status: "ok", snapshots: { taken: 1 } }), []);
  const lines = memberLines({ snapshots: { mode: "cluster", memberStates: [
    { member: 0, url: "http://h:9006/status", reachable: true, role: "LEADER", moduleState: "ACTIVE",
      electionState: "CLOSED", leadershipTermId: 2, commitPosition: 4096, appliedSequence: 77,
      lastSnapshotSequence: 50, consensusErrors: 1, serviceErrors: 0, uptimeSeconds: 30 },
    { member: 1, url: "http://h:9106/status", reachable: false, error: "ConnectException", lastSeenMillisAgo: 4200 },
    { member: 2, url: "http://h:9206/status", reachable: false, error: "not polled yet", lastSeenMillisAgo: null },
  ] } });
  assert.deepEqual(lines.map((l) => [l.member, l.reachable]), [[0, true], [1, false], [2, false]]);
  assert.match(lines[0].text, /member 0: LEADER, ACTIVE, election CLOSED, term 2, applied 77/);
  assert.match(lines[0].text, /errors 1/);
  assert.equal(lines[1].text, "member 1: unreachable (ConnectException), last seen 4 s ago");
  assert.equal(lines[2].text, "member 2: unreachable (not polled yet), never seen");
});
