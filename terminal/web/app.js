// The terminal's shell: the header (venue, instrument picker, connection status, the node's time), the page of the
// route in the address's hash (#/market/BTC-PERP), and the one WebSocket every page shares. Served by the node itself
// (GET / and /terminal/*); it talks only to the node it came from.
import { Feed } from "./feed.js";
import { MarketPage } from "./market.js";
import { BusyMeter, element } from "./render.js";

/** A GET of the node's API; a refusal throws with its code and message. */
export async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${body.code} ${body.message}`);
  return body;
}

const state = { instruments: [], page: null, meter: new BusyMeter() };

function route() {
  const [, view = "market", symbol] = (location.hash || "#/market").split("/");
  return { view, symbol };
}

function status(kind, detail) {
  const e = document.getElementById("connection");
  e.textContent = kind === "open" ? "live" : kind === "error" ? `error: ${detail}` : `${kind} ${detail ?? ""}`;
  e.className = `connection ${kind}`;
}

function picker(selected) {
  const select = document.getElementById("instrument");
  select.replaceChildren();
  const groups = new Map();
  for (const i of state.instruments) {
    const kind = i.kind === "option" ? "Options" : i.kind === "future" ? "Futures" : "Perpetuals";
    if (!groups.has(kind)) groups.set(kind, element("optgroup"));
    groups.get(kind).label = kind;
    const option = element("option", null, i.symbol);
    option.value = i.symbol;
    option.selected = i.symbol === selected;
    groups.get(kind).append(option);
  }
  for (const g of groups.values()) select.append(g);
  select.onchange = () => { location.hash = `#/market/${select.value}`; };
}

function show() {
  const { view, symbol } = route();
  const spec = state.instruments.find((i) => i.symbol === symbol) ?? state.instruments[0];
  if (!spec) return;
  if (view !== "market" || symbol !== spec.symbol) {
    history.replaceState(null, "", `#/market/${spec.symbol}`);
  }
  if (state.page) state.page.close();
  picker(spec.symbol);
  document.title = `${spec.symbol} · Meridian`;
  state.page = new MarketPage(document.getElementById("page"), api, state.feed, spec, state.meter);
  // For the browser tests and the console: the page, the feed, and how busy the main thread is.
  window.meridian = { page: state.page, feed: state.feed, meter: state.meter };
}

async function main() {
  const ws = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
  state.feed = new Feed(ws, status, undefined, state.meter);
  state.instruments = await api("/v1/instruments");
  const serverClock = document.getElementById("server-time");
  let offset = 0;
  api("/v1/time").then((t) => { offset = t.serverTime - Date.now(); });
  setInterval(() => {
    const d = new Date(Date.now() + offset);
    serverClock.textContent = d.toISOString().slice(11, 19) + " UTC";
  }, 1000);
  window.addEventListener("hashchange", show);
  show();
}

main().catch((e) => {
  document.getElementById("page").textContent = `The terminal could not start: ${e.message}`;
});
