import { test } from "node:test";
import assert from "node:assert/strict";
import { Feed } from "../feed.js";
import { foldTrade } from "../candles.js";
import { frameScheduler } from "../render.js";

test("messages go to the subscription of their channel", () => {
  assert.equal(Feed.keyOf({ type: "snapshot", instrument: 1 }), "book:1");
  assert.equal(Feed.keyOf({ type: "trade", instrument: 2 }), "book:2");
  assert.equal(Feed.keyOf({ type: "ticker", instrument: 1 }), "ticker:1");
  assert.equal(Feed.keyOf({ type: "resync", channel: "ticker", instrument: 1 }), "ticker:1");
  assert.equal(Feed.keyOf({ type: "resync", instrument: 1 }), "book:1");
  assert.equal(Feed.keyOf({ type: "error", code: 460 }), null);
  assert.equal(Feed.keyOf({ type: "liquidation", channel: "liquidations", instrument: 1 }), "liquidations:1");
  assert.equal(Feed.keyOf({ type: "liquidation", instrument: 1 }), "book:1", "the book channel's copy");
  assert.equal(Feed.keyOf({ type: "trade", channel: "trades", instrument: 3 }), "trades:3");
  assert.equal(Feed.keyOf({ type: "fill", account: 7, instrument: 1 }), "account");
});

test("subscriptions are sent when the socket opens and again after a reconnect", () => {
  const sockets = [];
  const factory = () => {
    const s = { sent: [], readyState: 0, send(m) { this.sent.push(JSON.parse(m)); }, close() {} };
    sockets.push(s);
    return s;
  };
  const statuses = [];
  const feed = new Feed("ws://x/ws", (k) => statuses.push(k), factory);
  const seen = [];
  feed.subscribe("book:1", { op: "subscribe", channel: "book", instrument: 1, depth: 15 }, (m) => seen.push(m));
  assert.equal(sockets[0].sent.length, 0, "nothing sent before the socket opens");
  sockets[0].readyState = 1;
  sockets[0].onopen();
  assert.deepEqual(sockets[0].sent, [{ op: "subscribe", channel: "book", instrument: 1, depth: 15 }]);
  sockets[0].onmessage({ data: JSON.stringify({ type: "snapshot", instrument: 1 }) });
  sockets[0].onmessage({ data: JSON.stringify({ type: "snapshot", instrument: 9 }) });
  assert.equal(seen.length, 1);
  feed.resubscribe("book:1");
  assert.equal(sockets[0].sent.length, 2);
  feed.close();
  assert.deepEqual(statuses, ["connecting", "open"]);
});

test("a refused subscription is not confirmed; the next one that succeeds clears the error", () => {
  const sockets = [];
  const factory = () => {
    const s = { sent: [], readyState: 1, send(m) { this.sent.push(JSON.parse(m)); }, close() {} };
    sockets.push(s);
    return s;
  };
  const statuses = [];
  const feed = new Feed("ws://x/ws", (k) => statuses.push(k), factory);
  sockets[0].onopen();
  const request = { op: "subscribe", channel: "account", address: "0xab", token: "t" };
  feed.subscribe("account", request, () => {});
  sockets[0].onmessage({ data: JSON.stringify({ type: "error", code: 404, message: "no account for 0xab" }) });
  assert.equal(feed.isConfirmed("account"), false);
  assert.equal(statuses.at(-1), "error");
  feed.subscribe("account", request, () => {}); // the page asks again once the first deposit opened the account
  sockets[0].onmessage({ data: JSON.stringify({ type: "subscribed", channel: "account", account: 7, address: "0xab" }) });
  assert.equal(feed.isConfirmed("account"), true);
  assert.equal(statuses.at(-1), "open");
  sockets[0].onclose();
  assert.equal(feed.isConfirmed("account"), false, "a new connection confirms afresh");
  feed.close();
});

test("a trade moves the current candle or opens the next", () => {
  const bars = [{ time: 60, open: 10, high: 12, low: 9, close: 11 }];
  assert.deepEqual(foldTrade(bars, 60, 119_000, "13"), { time: 60, open: 10, high: 13, low: 9, close: 13 });
  assert.deepEqual(foldTrade(bars, 60, 120_500, "8"), { time: 120, open: 8, high: 8, low: 8, close: 8 });
  assert.equal(foldTrade(bars, 60, 30_000, "1"), null, "an old trade changes nothing");
  assert.equal(bars.length, 2);
});

test("however many requests arrive, one draw per frame", () => {
  const frames = [];
  let draws = 0;
  const s = frameScheduler(() => draws++, (f) => frames.push(f));
  for (let i = 0; i < 1000; i++) s.request();
  assert.equal(frames.length, 1);
  frames.shift()();
  assert.equal(draws, 1);
  s.request();
  assert.equal(frames.length, 1);
});

test("the busy meter: idle periods against wall time, and the script's own time", async () => {
  const { BusyMeter } = await import("../render.js");
  let clock = 0;
  const idleCallbacks = [];
  const meter = new BusyMeter(() => clock, (f) => idleCallbacks.push(f));
  meter.time("message", () => { clock += 4; });
  meter.time("draw", () => { clock += 6; });
  clock += 30;
  idleCallbacks.shift()({ timeRemaining: () => 25 });
  const r = meter.report();
  assert.equal(r.wallMs, 40);
  assert.equal(r.idleMs, 25);
  assert.equal(r.busy, 1 - 25 / 40);
  assert.equal(r.scriptMs, 10);
  assert.equal(r.messages, 1);
  assert.equal(r.draws, 1);
  assert.equal(idleCallbacks.length, 1, "the idle loop goes on");
});

test("a minimum interval between draws: a request soon after a draw waits for the rest of it", () => {
  let clock = 0;
  const frames = [];
  const timers = [];
  let draws = 0;
  const s = frameScheduler(() => draws++, (f) => frames.push(f), 100, () => clock, (f, ms) => timers.push([f, ms]));
  s.request();
  frames.shift()();
  assert.equal(draws, 1);
  clock = 30;
  s.request();
  s.request();
  assert.equal(frames.length, 0, "no frame before the interval is over");
  assert.deepEqual(timers.map((t) => t[1]), [70]);
  timers.shift()[0]();
  frames.shift()();
  assert.equal(draws, 2);
  clock = 500;
  s.request();
  assert.equal(frames.length, 1, "long after the last draw: the next frame");
});
