// Number and time formatting for the terminal: exact decimal strings in, fixed decimals out (numbers right-aligned in
// the instrument's decimals, so columns never shift). Prices and sizes stay strings end to end: the API sends exact
// decimals and a float would print 0.30000000000000004.

/** Decimal places of a step ("0.1" -> 1, "5" -> 0, "0.0010" -> 3). */
export function decimalsOf(step) {
  const text = String(step);
  const dot = text.indexOf(".");
  if (dot < 0) return 0;
  return text.slice(dot + 1).replace(/0+$/, "").length;
}

/** A decimal string as a scaled BigInt at `decimals` places, rounded half away from zero; null for no value. */
export function scaled(value, decimals) {
  if (value === null || value === undefined || value === "") return null;
  const text = String(value).trim();
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match) return null;
  const [, sign, whole, fraction = ""] = match;
  const kept = (fraction + "0".repeat(decimals + 1)).slice(0, decimals + 1);
  let n = BigInt((whole || "0") + kept);
  n = (n + 5n) / 10n; // round half up on the magnitude
  return sign === "-" && n !== 0n ? -n : n;
}

/** `value` with exactly `decimals` decimals ("50000" at 1 -> "50000.0"); "" for no value. */
export function fixed(value, decimals) {
  const n = scaled(value, decimals);
  if (n === null) return "";
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString().padStart(decimals + 1, "0");
  const whole = decimals === 0 ? digits : digits.slice(0, digits.length - decimals);
  const body = decimals === 0 ? whole : `${whole}.${digits.slice(digits.length - decimals)}`;
  return (negative ? "-" : "") + body;
}

/** Thousands separators on the whole part of a fixed decimal ("1234567.8" -> "1,234,567.8"). */
export function grouped(text) {
  if (!text) return text;
  const [whole, fraction] = text.split(".");
  const sign = whole.startsWith("-") ? "-" : "";
  const digits = sign ? whole.slice(1) : whole;
  const withCommas = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return sign + withCommas + (fraction === undefined ? "" : "." + fraction);
}

/** A fraction as a percentage with `decimals` places ("0.0001" -> "0.0100%"); "" for no value. */
export function percent(fraction, decimals = 4) {
  if (fraction === null || fraction === undefined || fraction === "") return "";
  return `${fixed(shift(fraction, 2), decimals)}%`;
}

/** A decimal string times 10^places, exactly (a string). */
export function shift(value, places) {
  const text = String(value);
  const negative = text.startsWith("-");
  const [whole, fraction = ""] = (negative ? text.slice(1) : text).split(".");
  const padded = fraction + "0".repeat(Math.max(0, places - fraction.length));
  const moved = (whole + padded.slice(0, places)).replace(/^0+(?=\d)/, "");
  const rest = padded.slice(places);
  return (negative ? "-" : "") + moved + (rest ? "." + rest : "");
}

/** A scaled BigInt back to a decimal string. */
export function fromScaled(n, decimals) {
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString().padStart(decimals + 1, "0");
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return (negative ? "-" : "") + text;
}

const two = (n) => String(n).padStart(2, "0");

/** Epoch milliseconds as HH:MM:SS in UTC (the venue's clock; every time on the page is UTC). */
export function clock(ms) {
  const d = new Date(ms);
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** A duration in milliseconds as H:MM:SS, never negative ("0:00:00" once past). */
export function countdown(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 3600)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}
