import { test } from "node:test";
import assert from "node:assert/strict";
import { orderBody } from "../orders.js";

const base = { side: "buy", quantity: "0.010", clientOrderId: "t-1", timeInForce: "gtc", triggerSource: "last",
  selfTradePrevention: "none" };

test("a limit order carries price and time in force, nothing it does not take", () => {
  assert.deepEqual(orderBody("BTC-PERP", { ...base, type: "limit", price: "50000", triggerPrice: "1" }),
    { instrument: "BTC-PERP", side: "buy", type: "limit", quantity: "0.010", price: "50000", timeInForce: "gtc",
      clientOrderId: "t-1" });
});

test("a market order has no price, time in force or post-only", () => {
  assert.deepEqual(orderBody("BTC-PERP", { ...base, type: "market", price: "1", postOnly: true }),
    { instrument: "BTC-PERP", side: "buy", type: "market", quantity: "0.010", clientOrderId: "t-1" });
});

test("stops and take-profits carry their trigger; flags travel when set", () => {
  const body = orderBody("ETH-PERP", { ...base, side: "sell", type: "stop_limit", price: "2900", triggerPrice: "2950",
    triggerSource: "mark", timeInForce: "gtd", expireTime: 1767225600000, postOnly: true, reduceOnly: true,
    displayQuantity: "0.002", selfTradePrevention: "expire_both" });
  assert.deepEqual(body, { instrument: "ETH-PERP", side: "sell", type: "stop_limit", quantity: "0.010",
    price: "2900", triggerPrice: "2950", triggerSource: "mark", timeInForce: "gtd", expireTime: 1767225600000,
    postOnly: true, displayQuantity: "0.002", reduceOnly: true, selfTradePrevention: "expire_both",
    clientOrderId: "t-1" });
});

test("what cannot be an order is refused with the field", () => {
  assert.throws(() => orderBody("X", { ...base, type: "limit" }), /price: required/);
  assert.throws(() => orderBody("X", { ...base, type: "stop_market" }), /triggerPrice: required/);
  assert.throws(() => orderBody("X", { ...base, type: "limit", price: "1", timeInForce: "gtd" }), /expireTime/);
  assert.throws(() => orderBody("X", { ...base, type: "limit", price: "1", quantity: "" }), /quantity: required/);
  assert.throws(() => orderBody("X", { ...base, type: "iceberg" }), /type: one of/);
});

test("the chain groups series by expiry and strike, calls beside puts", async () => {
  const { byExpiry } = await import("../chain.js");
  const s = (instrument, expiry, strike, right) => ({ instrument, expiry, strike, right });
  const groups = byExpiry([s(1, 200, "55000", "call"), s(2, 100, "50000", "put"), s(3, 100, "45000", "call"),
    s(4, 100, "50000", "call"), s(5, 200, "55000", "put")]);
  assert.deepEqual(groups.map((g) => g.expiry), [100, 200]);
  assert.deepEqual(groups[0].strikes.map((k) => k.strike), ["45000", "50000"]);
  assert.equal(groups[0].strikes[1].call.instrument, 4);
  assert.equal(groups[0].strikes[1].put.instrument, 2);
  assert.equal(groups[0].strikes[0].put, null);
  assert.equal(groups[1].strikes[0].put.instrument, 5);
});

test("the metrics text is read into samples and summed by label", async () => {
  const { parseMetrics, total } = await import("../metrics.js");
  const text = [
    "# HELP meridian_rejects_total rejects by code",
    "# TYPE meridian_rejects_total counter",
    'meridian_rejects_total{code="7001",reason="INSUFFICIENT_MARGIN"} 3.0',
    'meridian_rejects_total{code="2019",reason="UNKNOWN_ORDER"} 2.0',
    "meridian_engine_queue_depth 5.0",
    'meridian_gateway_refusals_total{edge="ws",code="460",what="a \\"quoted\\" label"} 1.0',
    "",
  ].join("\n");
  const samples = parseMetrics(text);
  assert.equal(samples.length, 4);
  assert.equal(total(samples, "meridian_rejects_total"), 5);
  assert.equal(total(samples, "meridian_rejects_total", { code: "2019" }), 2);
  assert.equal(total(samples, "meridian_engine_queue_depth"), 5);
  assert.equal(samples[3].labels.what, 'a "quoted" label');
  assert.equal(total(samples, "absent"), 0);
});
