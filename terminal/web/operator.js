// The Operator page: the node's health (GET /health: status, last sequence, how long since the engine thread last
// ended a batch, the snapshot status or, on a cluster's gateway, the cluster's) and its metrics (GET /metrics: the
// engine queue, command latency, journal fsyncs, connections and subscriptions, refusals by kind), read every 2 s.
// /metrics is public only on a dev-mode node by default; elsewhere the operator gives the node's metrics token, which
// this page keeps for the browser session only (sessionStorage) and sends as a bearer token.
import { parseMetrics, total } from "./metrics.js";
import { element, setText } from "./render.js";

const TOKEN = "meridian.terminal.metricsToken";

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
    this.poll();
    this.timer = setInterval(() => this.poll(), 2000);
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
    this.metrics.replaceChildren(...ROWS.map(([label, value]) => {
      const row = element("div", "metric-row num");
      row.dataset.metric = label;
      row.append(element("span", "label", label), element("span", "num balance", String(Math.round(value(samples)
        * 100) / 100)));
      return row;
    }));
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
  }

  close() {
    clearInterval(this.timer);
  }
}
