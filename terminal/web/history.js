// A bounded history of figures read over time, and its small drawing (no browser dependency: unit-tested under Node).
// The operator page keeps one ring per figure: however long the page stays open, it holds at most `capacity` points.

/** A fixed-size ring of [time, value] points: pushing beyond its capacity overwrites the oldest. */
export class Ring {
  constructor(capacity) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error("capacity: a positive whole number");
    this.capacity = capacity;
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.start = 0; // the oldest point's slot
    this.size = 0;
  }

  /** Adds a point; a value that is not a finite number is skipped (a figure the node did not give is no zero). */
  push(time, value) {
    if (!Number.isFinite(value) || !Number.isFinite(time)) return;
    const slot = (this.start + this.size) % this.capacity;
    this.times[slot] = time;
    this.values[slot] = value;
    if (this.size < this.capacity) this.size++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** The points oldest first, as [time, value] pairs. */
  points() {
    const out = new Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const slot = (this.start + i) % this.capacity;
      out[i] = [this.times[slot], this.values[slot]];
    }
    return out;
  }

  /** The newest value, or null when empty. */
  last() {
    return this.size === 0 ? null : this.values[(this.start + this.size - 1) % this.capacity];
  }
}

/**
 * The `points` attribute of an SVG polyline drawing `points` ([time, value], oldest first) in a width x height box:
 * time across (the ring's span), value up from the smallest to the largest (a flat series is drawn along the middle).
 * Coordinates are rounded to a tenth of a pixel, so the attribute stays short.
 */
export function sparkline(points, width, height) {
  if (points.length === 0) return "";
  const t0 = points[0][0];
  const t1 = points[points.length - 1][0];
  let lo = Infinity;
  let hi = -Infinity;
  for (const [, v] of points) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const round = (v) => Math.round(v * 10) / 10;
  const x = (t) => (t1 === t0 ? width : ((t - t0) / (t1 - t0)) * width);
  const y = (v) => (hi === lo ? height / 2 : height - ((v - lo) / (hi - lo)) * height);
  return points.map(([t, v]) => `${round(x(t))},${round(y(v))}`).join(" ");
}

/**
 * A cluster gateway's members as GET /health gives them (`snapshots.memberStates`, docs/cluster.md "Member status"),
 * one line each: its role and state, what it applied and its errors, or why it could not be read. Empty for a node that
 * is no cluster gateway (nothing is made up for it).
 */
export function memberLines(health) {
  const states = health?.snapshots?.mode === "cluster" ? health.snapshots.memberStates ?? [] : [];
  return states.map((m) => ({
    member: m.member,
    reachable: m.reachable === true,
    text: m.reachable === true
      ? `member ${m.member}: ${m.role ?? "no role yet"}, ${m.moduleState ?? "?"}, election ${m.electionState ?? "?"},`
        + ` term ${m.leadershipTermId ?? "?"}, applied ${m.appliedSequence ?? "?"}, commit ${m.commitPosition ?? "?"},`
        + ` snapshot at ${m.lastSnapshotSequence ?? "?"}, errors ${(m.consensusErrors ?? 0) + (m.serviceErrors ?? 0)},`
        + ` up ${m.uptimeSeconds ?? "?"} s`
      : `member ${m.member}: unreachable (${m.error ?? "no answer"})`
        + (m.lastSeenMillisAgo === null || m.lastSeenMillisAgo === undefined ? ", never seen"
          : `, last seen ${Math.round(m.lastSeenMillisAgo / 1000)} s ago`),
  }));
}

/** A counter's increase between two reads (0 at the first read, and when the node restarted and counts from 0). */
export function increase(now, before, name, total) {
  if (!before) return 0;
  return Math.max(0, total(now, name) - total(before, name));
}

/**
 * The mean of a summary's observations made between two reads (its `_sum` and `_count` increases), in µs; null when
 * none was made (nothing happened is not a zero latency), and at the first read.
 */
export function intervalMeanMicros(now, before, name, total) {
  if (!before) return null;
  const count = total(now, `${name}_count`) - total(before, `${name}_count`);
  const sum = total(now, `${name}_sum`) - total(before, `${name}_sum`);
  return count > 0 && sum >= 0 ? (1e6 * sum) / count : null;
}
