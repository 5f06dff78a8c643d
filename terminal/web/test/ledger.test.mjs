import { test } from "node:test";
import assert from "node:assert/strict";
import { adlLights, chainError, depositAmount, extendPoints, historyPoints, MAX_DEPOSIT, shortHash, withdrawalState }
  from "../ledger.js";

test("the ADL indicator is five lights, none for a position that is no candidate", () => {
  assert.equal(adlLights(5), "●●●●● 5/5");
  assert.equal(adlLights(1), "●○○○○ 1/5");
  assert.equal(adlLights(0), "○○○○○ none");
  assert.equal(adlLights(undefined), "○○○○○ none");
  assert.equal(adlLights(7), "○○○○○ none");
});

test("a withdrawal's status is said plainly, with and without a chain", () => {
  assert.match(withdrawalState({ status: "no_chain", batchId: null, txHash: null }), /^no chain/);
  assert.equal(withdrawalState({ status: "pending_batch", batchId: null }), "accepted: waiting for the next batch");
  assert.equal(withdrawalState({ status: "batched", batchId: 4 }), "in batch 4: root not posted yet");
  assert.equal(withdrawalState({ status: "root_posted", batchId: 4 }), "in batch 4: root posted, payment pending");
  const hash = `0x${"ab".repeat(32)}`;
  assert.equal(withdrawalState({ status: "paid", batchId: 4, txHash: hash }), "paid in batch 4, tx 0xabababab…ababab");
  assert.equal(withdrawalState({ status: "paid", batchId: null, txHash: null }), "paid (batch no longer kept)");
  assert.equal(shortHash(null), null);
});

test("chart points only move forward: a later second is added, the same second replaced, an older one dropped", () => {
  const points = [];
  extendPoints(points, { time: 10, value: 1 });
  extendPoints(points, { time: 12, value: 2 });
  extendPoints(points, { time: 12, value: 3 });
  extendPoints(points, { time: 11, value: 9 });
  assert.deepEqual(points, [{ time: 10, value: 1 }, { time: 12, value: 3 }]);
  for (let t = 13; t < 30; t++) extendPoints(points, { time: t, value: t }, 5);
  assert.equal(points.length, 5);
  assert.equal(points[0].time, 25);
});

test("the fund's history becomes points in seconds, the last of a second kept", () => {
  const entries = [{ time: 60_000, balance: "10000.000000" }, { time: 60_500, balance: "10001.5" },
    { time: 120_000, balance: "9990" }];
  assert.deepEqual(historyPoints(entries), [{ time: 60, value: 10001.5 }, { time: 120, value: 9990 }]);
});

test("a deposit's amount is a positive decimal within the asset's decimals, in minor units", () => {
  assert.equal(depositAmount("1500", 6), 1_500_000_000n);
  assert.equal(depositAmount(" 0.25 ", 6), 250_000n);
  assert.equal(depositAmount("0.000001", 6), 1n);
  assert.equal(depositAmount("9223372036854.775807", 6), MAX_DEPOSIT);
  for (const [text, why] of [["", /enter an amount/], ["0", /more than zero/], ["0.000000", /more than zero/],
    ["0.0000001", /at most 6/], ["-1", /plain decimal/], ["1e6", /plain decimal/], ["1,000", /plain decimal/],
    [".5", /plain decimal/], ["5.", /plain decimal/], ["0x10", /plain decimal/], ["9223372036854.775808", /vault takes/],
    ["1".repeat(41), /plain decimal/]]) {
    assert.throws(() => depositAmount(text, 6), why, text);
  }
  assert.equal(depositAmount("3", 0), 3n);
  assert.throws(() => depositAmount("0.5", 0), /at most 0/);
  assert.throws(() => depositAmount("1", undefined), /unknown asset decimals/);
});

test("a wallet's refusal and a revert say so plainly", () => {
  assert.equal(chainError({ code: "ACTION_REJECTED", message: "user rejected action" }),
    "the wallet refused the transaction");
  assert.equal(chainError({ code: 4001, message: "User rejected the request." }), "the wallet refused the transaction");
  assert.equal(chainError({ code: "CALL_EXCEPTION", revert: { name: "NotListed", args: [] } }), "reverted: NotListed()");
  assert.equal(chainError({ code: "CALL_EXCEPTION", reason: "ERC20: insufficient allowance" }),
    "reverted: ERC20: insufficient allowance");
  assert.equal(chainError({ code: "UNKNOWN_ERROR", error: { code: -32000, message: "insufficient funds for gas" } }),
    "insufficient funds for gas");
  assert.equal(chainError(null), "unknown error");
});
