// The terminal's shell: the header (venue, instrument picker, connection status, the node's time), the page of the
// route in the address's hash (#/market/BTC-PERP), and the one WebSocket every page shares. Served by the node itself
// (GET / and /terminal/*); it talks only to the node it came from.
import { Feed } from "./feed.js";
import { AccountPage } from "./account.js";
import { MarketPage } from "./market.js";
import { OperatorPage } from "./operator.js";
import { OptionsPage } from "./options.js";
import { RiskPage } from "./risk.js";
import { TradePage } from "./trade.js";
import { BusyMeter, element } from "./render.js";

/** A request to the node's API; a refusal throws with its code and message. */
async function request(method, path, body, token) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers["X-Meridian-Read-Token"] = token;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await response.json();
  // An engine refusal names its reason too (422: {code, reason, message}): "2008 PRICE_OUTSIDE_BAND: ...".
  if (!response.ok) throw new Error(answer.reason ? `${answer.code} ${answer.reason}: ${answer.message}`
    : `${answer.code} ${answer.message}`);
  return answer;
}

/** A GET of the node's API. */
export const api = (path) => request("GET", path);

const http = {
  get: (path, token) => request("GET", path, undefined, token),
  post: (path, body) => request("POST", path, body),
  put: (path, body) => request("PUT", path, body),
  del: (path) => request("DELETE", path),
};

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

function picker(selected, view) {
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
  select.onchange = () => { location.hash = `#/${view}/${select.value}`; };
}

const VIEWS = ["market", "trade", "account", "options", "risk", "operator"];

function show() {
  const route_ = route();
  const view = VIEWS.includes(route_.view) ? route_.view : "market";
  const spec = state.instruments.find((i) => i.symbol === route_.symbol) ?? state.instruments[0];
  if (!spec) return;
  if (view !== route_.view || route_.symbol !== spec.symbol) {
    history.replaceState(null, "", `#/${view}/${spec.symbol}`);
  }
  if (state.page) state.page.close();
  picker(spec.symbol, view);
  for (const a of document.querySelectorAll("nav a")) {
    a.className = a.dataset.view === view ? "active" : "";
    a.href = `#/${a.dataset.view}/${spec.symbol}`;
  }
  document.title = `${spec.symbol} · ${view} · Meridian`;
  const root = document.getElementById("page");
  state.page = view === "trade" ? new TradePage(root, http, state.feed, spec)
    : view === "account" ? new AccountPage(root, http, state.feed, state.instruments)
      : view === "risk" ? new RiskPage(root, api, state.feed, state.instruments)
        : view === "options" ? new OptionsPage(root, api, http, state.instruments, state.indexes)
        : view === "operator" ? new OperatorPage(root)
        : new MarketPage(root, api, state.feed, spec, state.meter);
  // For the browser tests and the console: the page, the feed, and how busy the main thread is.
  window.meridian = { page: state.page, feed: state.feed, meter: state.meter };
}

async function main() {
  const ws = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
  state.feed = new Feed(ws, status, undefined, state.meter);
  [state.instruments, state.indexes] = await Promise.all([api("/v1/instruments"), api("/v1/indexes")]);
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
