import { test } from "node:test";
import assert from "node:assert/strict";
import { clock, countdown, decimalsOf, fixed, fromScaled, grouped, percent, scaled, shift } from "../format.js";

test("decimals of a step", () => {
  assert.equal(decimalsOf("0.1"), 1);
  assert.equal(decimalsOf("5"), 0);
  assert.equal(decimalsOf("0.0010"), 3);
  assert.equal(decimalsOf("0.00000001"), 8);
});

test("fixed pads and rounds half up, exactly", () => {
  assert.equal(fixed("50000", 1), "50000.0");
  assert.equal(fixed("50000.35", 1), "50000.4");
  assert.equal(fixed("50000.349999", 1), "50000.3");
  assert.equal(fixed("-0.05", 1), "-0.1");
  assert.equal(fixed("-0.04", 1), "0.0");
  assert.equal(fixed("0.1", 3), "0.100");
  assert.equal(fixed("123456789012345678.5", 0), "123456789012345679"); // beyond a double's precision
  assert.equal(fixed(null, 2), "");
  assert.equal(fixed("", 2), "");
  assert.equal(fixed("abc", 2), "");
});

test("grouped thousands keep the sign and the fraction", () => {
  assert.equal(grouped("1234567.80"), "1,234,567.80");
  assert.equal(grouped("-1234"), "-1,234");
  assert.equal(grouped("999"), "999");
});

test("percent and shift are exact", () => {
  assert.equal(shift("0.0001", 2), "0.01");
  assert.equal(shift("-1.5", 2), "-150");
  assert.equal(percent("0.0001"), "0.0100%");
  assert.equal(percent("-0.00025", 3), "-0.025%");
  assert.equal(percent(null), "");
});

test("sums of sizes have no float drift", () => {
  assert.equal(fromScaled(scaled("0.1", 3) + scaled("0.2", 3), 3), "0.300");
  assert.equal(fromScaled(scaled("0.3", 1) - scaled("0.1", 1), 1), "0.2");
});

test("clock and countdown in UTC", () => {
  assert.equal(clock(Date.UTC(2026, 0, 1, 9, 5, 7)), "09:05:07");
  assert.equal(countdown(3_725_000), "1:02:05");
  assert.equal(countdown(-5), "0:00:00");
});
