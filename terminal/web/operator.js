// The Operator page: the node's health (GET /health: status, last sequence, how long since the engine thread last
// ended a batch, the snapshot status or, on a cluster's gateway, the cluster's) and its metrics (GET /metrics: the
// engine queue, command latency, journal fsyncs, connections and subscriptions, refusals by kind), read every 2 s.
// /metrics is public only on a dev-mode node by default; elsewhere the operator gives the node's metrics token, which
// this page keeps for the browser session only (sessionStorage) and sends as a bearer token.
// The main figures are kept for the last 15 minutes the page is open (a fixed ring per figure: the node keeps no
// history of them) and drawn small; on a cluster's gateway, each member as the gateway last read it.
import { increase, intervalMeanMicros, memberLines, Ring, sparkline } from "./history.js";
import { parseMetrics, total } from "./metrics.js";
import { element, setText } from "./render.js";

const TOKEN = "meridian.terminal.metricsToken";
const SVG = "http://www.w3.org/2000/svg";
const READ_EVERY_MS = 2000;
/** 15 minutes of reads: the ring's size, whatever the page's lifetime. */
const HISTORY_POINTS = (15 * 60 * 1000) / READ_EVERY_MS;
const SPARK = { width: 240, height: 36 };

/** The figures kept over time: each from this read's samples and the previous read's (counters as increases). */
const HISTORY = [
  ["Engine queue depth", (m) => total(m, "meridian_engine_queue_depth")],
  ["Command latency (µs)", (m, b) => intervalMeanMicros(m, b, "meridian_command_latency_seconds", total)],
  ["Engine rejects / read", (m, b) => increase(m, b, "meridian_rejects_total", total)],
  ["Connections", (m) => total(m, "meridian_connections")],
  ["Rate-limit refusals / read", (m, b) => increase(m, b, "meridian_rate_limit_refusals_total", total)],
  ["Journal fsync (µs)", (m, b) => intervalMeanMicros(m, b, "meridian_journal_fsync_seconds", total)],
];

const ROWS = [
  ["Commands applied", (m) => total(m, "meridian_commands_total")],
  ["Engine queue depth", (m) => total(m, "meridian_engine_queue_depth")],
  ["Engine queue full (refused)", (m) => total(m, "meridian_engine_queue_full_total")],
  ["Engine stalled (s)", (m) => total(m, "meridian_engine_stalled_seconds")],
  ["Mean command latency (µs)", (m) => 1e6 * total(m, "meridian_command_latency_seconds_sum")
    / Math.max(1, total(m, "meridian_command_latency_seconds_count"))],
  ["Mean journal fsync (µs)", (m) => 1e6 * total(m, "meridian_journal_fsync_seconds_sum")
    / Math.max(1, total(m, "meridian_journal_fsync_seconds_count"))],
  ["Connections", (m) => total(m, "meridian_connections")],
  ["WebSocket connections", (m) => total(m, "meridian_websocket_connections")],
  ["Subscriptions", (m) => total(m, "meridian_subscriptions")],
  ["Rate-limit refusals", (m) => total(m, "meridian_rate_limit_refusals_total")],
  ["Gateway refusals", (m) => total(m, "meridian_gateway_refusals_total")],
  ["Engine rejects", (m) => total(m, "meridian_rejects_total")],
  ["Market-data overflows", (m) => total(m, "meridian_marketdata_overflows_total")],
  ["FIX sessions", (m) => total(m, "meridian_fix_sessions")],
];

export class OperatorPage {
  constructor(root) {
    this.build(root);
    this.history = HISTORY.map(() => new Ring(HISTORY_POINTS));
    this.previous = null;
    this.reads = 0;
    this.poll();
    this.timer = setInterval(() => this.poll(), READ_EVERY_MS);
  }

  build(root) {
    root.replaceChildren();
    const page = element("div", "account operator");
    root.append(page);
    const health = element("section", "panel");
    health.append(element("div", "panel-bar", "Health"));
    this.health = element("div", "panel-body");
    this.health.id = "health";
    health.append(this.health);
    page.append(health);
    const members = element("section", "panel");
    members.append(element("div", "panel-bar", "Cluster members"));
    this.members = element("div", "panel-body");
    this.members.id = "members";
    members.append(this.members);
    page.append(members);
    const history = element("section", "panel");
    history.append(element("div", "panel-bar", "The last 15 minutes (read every 2 s while this page is open)"));
    const charts = element("div", "panel-body sparks");
    charts.id = "history";
    // Built once: each read only moves the lines' points and the figures' text.
    this.sparks = HISTORY.map(([label]) => {
      const box = element("div", "spark");
      box.dataset.figure = label;
      const now = element("span", "num balance", "");
      box.append(element("span", "label", label), now);
      const svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("viewBox", `0 0 ${SPARK.width} ${SPARK.height}`);
      svg.setAttribute("class", "sparkline");
      const line = document.createElementNS(SVG, "polyline");
      line.setAttribute("fill", "none");
      line.setAttribute("class", "spark-line");
      svg.append(line);
      box.append(svg);
      charts.append(box);
      return { box, now, line };
    });
    history.append(charts);
    page.append(history);
    const metrics = element("section", "panel");
    const bar = element("div", "panel-bar", "Metrics");
    this.tokenInput = element("input");
    this.tokenInput.type = "password";
    this.tokenInput.placeholder = "metrics token (not needed on a dev node)";
    this.tokenInput.value = sessionStorage.getItem(TOKEN) ?? "";
    this.tokenInput.addEventListener("change", () => {
      sessionStorage.setItem(TOKEN, this.tokenInput.value);
      this.poll();
    });
    bar.append(this.tokenInput);
    metrics.append(bar);
    this.metrics = element("div", "panel-body");
    this.metrics.id = "metrics";
    metrics.append(this.metrics);
    page.append(metrics);
  }

  async poll() {
    const health = await fetch("/health").then((r) => r.json()).catch((e) => ({ status: `unreachable: ${e.message}` }));
    this.drawHealth(health);
    const headers = this.tokenInput.value ? { Authorization: `Bearer ${this.tokenInput.value}` } : {};
    const answer = await fetch("/metrics", { headers }).catch(() => null);
    if (!answer || !answer.ok) {
      const why = answer ? (await answer.json().catch(() => ({}))).message ?? answer.status : "unreachable";
      setText(this.metrics, `metrics: ${why}`);
      return;
    }
    const samples = parseMetrics(await answer.text());
    this.record(samples);
    this.metrics.replaceChildren(...ROWS.map(([label, value]) => {
      const row = element("div", "metric-row num");
      row.dataset.metric = label;
      row.append(element("span", "label", label), element("span", "num balance", String(Math.round(value(samples)
        * 100) / 100)));
      return row;
    }));
  }

  /** Adds this read's figures to their rings and redraws the small charts (one read every 2 s: no burst to hold). */
  record(samples) {
    const now = Date.now();
    HISTORY.forEach(([, figure], i) => {
      const ring = this.history[i];
      ring.push(now, figure(samples, this.previous));
      const spark = this.sparks[i];
      spark.line.setAttribute("points", sparkline(ring.points(), SPARK.width, SPARK.height));
      const last = ring.last();
      setText(spark.now, last === null ? "" : String(Math.round(last * 100) / 100));
      spark.box.dataset.points = String(ring.size);
    });
    this.previous = samples;
    this.reads++;
  }

  drawHealth(h) {
    const lines = [`status ${h.status}`, `sequence ${h.sequence ?? ""}`, `stalled ${h.stalledMs ?? ""} ms`];
    const s = h.snapshots ?? {};
    if (s.mode === "cluster") {
      lines.push(`cluster: leader ${s.leader}, lag ${s.lag}, in flight ${s.inFlight}/${s.maxInFlight}`);
    } else if (s.taken !== undefined) {
      lines.push(`snapshots: ${s.taken} taken, last at sequence ${s.lastSequence}, longest pause ${s.maxPauseMs} ms`
        + (s.replica ? `, by a replica (lag ${s.replicaLag})` : ""));
    }
    this.health.replaceChildren(...lines.map((l) => element("div", "num left", l)));
    this.health.dataset.status = h.status;
    const members = memberLines(h);
    if (members.length === 0) {
      setText(this.members, s.mode === "cluster" ? "the gateway has read no member yet"
        : "not a cluster gateway: this node sequences its own commands");
      return;
    }
    this.members.replaceChildren(...members.map((m) => {
      const row = element("div", `num left ${m.reachable ? "" : "down"}`, m.text);
      row.dataset.member = String(m.member);
      return row;
    }));
  }

  close() {
    clearInterval(this.timer);
  }
}
