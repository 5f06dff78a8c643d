// Pure logic of the Account and Risk pages' history figures, kept apart from the pages (which import the chart and the
// signers) so Node's test runner loads it alone: the ADL indicator's lights, what a withdrawal's settlement status
// says, and the insurance fund's chart points (its history from GET /v1/insurance-fund/history, extended by live reads).

/**
 * The auto-deleveraging indicator of a position (GET /v1/positions' adlRank: 5 = first to be deleveraged, 0 = no
 * candidate) as five lights and words: "●●●○○ 3/5".
 */
export function adlLights(rank) {
  const n = Number.isInteger(rank) && rank >= 0 && rank <= 5 ? rank : 0;
  if (n === 0) return "○○○○○ none";
  return `${"●".repeat(n)}${"○".repeat(5 - n)} ${n}/5`;
}

/** A short hash for a table cell: the first 10 and last 6 characters ("0x12345678…abcdef"); null for none. */
export function shortHash(hash) {
  if (!hash) return null;
  return hash.length <= 18 ? hash : `${hash.slice(0, 10)}…${hash.slice(-6)}`;
}

/**
 * What a withdrawal's settlement status (GET /v1/withdrawals) says, plainly: without a chain, that no chain pays it;
 * on a chain, where it is (waiting for a batch, in batch N, root posted, paid with the transaction).
 */
export function withdrawalState(w) {
  const batch = w.batchId === null || w.batchId === undefined ? null : `batch ${w.batchId}`;
  switch (w.status) {
    case "no_chain": return "no chain: taken off the balance, not paid out by this venue";
    case "pending_batch": return "accepted: waiting for the next batch";
    case "batched": return `in ${batch}: root not posted yet`;
    case "root_posted": return `in ${batch}: root posted, payment pending`;
    case "paid": {
      const where = batch ? ` in ${batch}` : " (batch no longer kept)";
      return w.txHash ? `paid${where}, tx ${shortHash(w.txHash)}` : `paid${where}`;
    }
    case "not_settled": return "in no batch: nothing on chain pays it";
    default: return String(w.status);
  }
}

/**
 * Adds a point to a chart's points (ascending, one per second) and returns them: a point at the last point's second
 * replaces it, an older one is dropped (the chart refuses time going back). `limit` keeps the newest only.
 */
export function extendPoints(points, point, limit = 5000) {
  const last = points[points.length - 1];
  if (last && point.time < last.time) return points;
  if (last && point.time === last.time) {
    points[points.length - 1] = point;
  } else {
    points.push(point);
  }
  if (points.length > limit) points.splice(0, points.length - limit);
  return points;
}

/**
 * The fund's history entries (GET /v1/insurance-fund/history, oldest first; `time` in ms, `balance` a decimal string)
 * as chart points: the time in whole seconds, the balance at the entry's end; entries within one second keep the last.
 */
export function historyPoints(entries) {
  const points = [];
  for (const e of entries) extendPoints(points, { time: Math.floor(e.time / 1000), value: Number(e.balance) });
  return points;
}

/** The vault's ceiling on one deposit, in minor units: the engine's range (MeridianVault.MAX_AMOUNT, 2^63 - 1). */
export const MAX_DEPOSIT = (1n << 63n) - 1n;

/**
 * A deposit's amount typed by a user ("1500", "0.25") as the asset's minor units (a BigInt: what the vault's deposit
 * takes and the node credits); refused with a reason unless it is a plain positive decimal with at most `scale`
 * decimals, within the vault's ceiling. No exponents, signs or separators: what is sent is exactly what was typed.
 */
export function depositAmount(text, scale) {
  const t = String(text ?? "").trim();
  if (!Number.isInteger(scale) || scale < 0 || scale > 18) throw new Error("unknown asset decimals");
  if (t.length === 0) throw new Error("amount: enter an amount");
  if (t.length > 40 || !/^\d+(\.\d+)?$/.test(t)) throw new Error("amount: a plain decimal such as 1500 or 0.25");
  const [whole, fraction = ""] = t.split(".");
  if (fraction.length > scale) throw new Error(`amount: at most ${scale} decimals`);
  const minor = BigInt(whole) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, "0") || "0");
  if (minor <= 0n) throw new Error("amount: must be more than zero");
  if (minor > MAX_DEPOSIT) throw new Error("amount: more than the vault takes in one deposit");
  return minor;
}

/**
 * What went wrong with a wallet transaction, in words: the wallet's refusal (EIP-1193 code 4001, ethers'
 * ACTION_REJECTED), the contract's revert with its custom error or reason (ethers' CALL_EXCEPTION, decoded against the
 * ABI it was given), or the wallet's own message.
 */
export function chainError(e) {
  if (!e) return "unknown error";
  const rpc = e.info?.error ?? e.error ?? e;
  if (e.code === "ACTION_REJECTED" || rpc?.code === 4001) return "the wallet refused the transaction";
  if (e.revert) return `reverted: ${e.revert.name}(${(e.revert.args ?? []).join(", ")})`;
  if (e.code === "CALL_EXCEPTION") return `reverted: ${e.reason ?? e.shortMessage ?? "no reason given"}`;
  const text = rpc?.message ?? e.shortMessage ?? e.message ?? String(e);
  return String(text).slice(0, 300);
}
