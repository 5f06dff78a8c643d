// A market maker's loop in JavaScript (docs/market-makers.md, "JavaScript"): ethers v6 for EIP-712, ws for the
// WebSocket, Node's crypto for the agent's Ed25519 key. The owner's wallet signs once, to approve the agent; the agent
// signs one login and one read token; orders and cancels then go in the WebSocket session without signatures.
// The loop quotes both sides around the mark post-only, waits for a fill from the account stream, cancel-replaces by
// client order id, reads its fills and order history page by page, and cancels everything.
//
// Input (environment): MERIDIAN_URL (http://127.0.0.1:8080), MERIDIAN_OWNER_KEY (the owner's secp256k1 key, hex),
// MERIDIAN_AGENT_SEED (a new agent's Ed25519 seed, 32 bytes hex), MERIDIAN_INSTRUMENT (a symbol, default BTC-PERP),
// MERIDIAN_ROUNDS (default 3). Output: progress on stderr, a JSON summary on stdout. Run by MarketMakerGuideTest.
import { createPrivateKey, createPublicKey, sign as ed25519 } from "node:crypto";
import { TypedDataEncoder, Wallet } from "ethers";
import WebSocket from "ws";

const url = process.env.MERIDIAN_URL;
const owner = new Wallet(process.env.MERIDIAN_OWNER_KEY);
const symbol = process.env.MERIDIAN_INSTRUMENT ?? "BTC-PERP";
const rounds = Number(process.env.MERIDIAN_ROUNDS ?? 3);
const log = (...args) => console.error("market-maker:", ...args);

// ---- REST: a refusal throws with the node's code and message.
let readToken = null;
async function api(method, path, body) {
  const headers = readToken ? { "X-Meridian-Read-Token": readToken } : {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url + path, { method, headers, body: body && JSON.stringify(body) });
  const json = await response.json();
  if (response.status !== 200) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return { json, next: response.headers.get("X-Meridian-Next-Cursor") };
}

// ---- Keys and nonces. A nonce is the signer's clock in ms, used once.
let lastNonce = 0;
const nonce = () => (lastNonce = Math.max(lastNonce + 1, Date.now()));
const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"),
  Buffer.from(process.env.MERIDIAN_AGENT_SEED.replace(/^0x/, ""), "hex")]);
const agentKey = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
const spki = createPublicKey(agentKey).export({ format: "der", type: "spki" });
const agentPublic = "0x" + spki.subarray(spki.length - 32).toString("hex");
const agentSign = (digest) => "0x" + ed25519(null, Buffer.from(digest.slice(2), "hex"), agentKey).toString("hex");

// ---- The domain, and the owner's one signature: the agent's approval (what to sign comes from the node).
const { json: auth } = await api("GET", "/v1/auth");
const domain = { name: auth.name, version: auth.version, chainId: auth.chainId,
  verifyingContract: auth.verifyingContract };
const approval = { address: owner.address, nonce: nonce(), agentKey: agentPublic, name: "js-quoter",
  validUntil: Date.now() + 86_400_000 };
const { json: typed } = await api("POST", "/v1/typed-data/approve-agent", approval);
const { EIP712Domain, ...approvalTypes } = typed.types;
await api("POST", "/v1/agents", { ...approval,
  signature: await owner.signTypedData(typed.domain, approvalTypes, typed.message) });
log("agent approved:", agentPublic);

// ---- The agent signs a login and a read token: the same three members under two types (docs/auth.md).
const GRANT = [{ name: "account", type: "address" }, { name: "validUntil", type: "uint64" },
  { name: "nonce", type: "uint64" }];
function grant(type, validUntil) {
  const message = { account: owner.address, validUntil, nonce: nonce() };
  return { ...message, signature: agentSign(TypedDataEncoder.hash(domain, { [type]: GRANT }, message)) };
}
const until = Date.now() + 3_600_000;
const read = grant("ReadAccess", until);
readToken = `${owner.address}.${read.validUntil}.${read.nonce}.${read.signature}.${agentPublic}`;

// ---- The WebSocket: answers matched by id; account messages handed to whoever waits for them.
const ws = new WebSocket(url.replace(/^http/, "ws") + "/ws");
await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
const pending = new Map();
const fills = [];
let fillArrived = () => {};
let nextId = 1;
ws.on("message", (data) => {
  const m = JSON.parse(data.toString());
  if (m.id !== undefined && pending.has(m.id)) {
    pending.get(m.id)(m);
    pending.delete(m.id);
  } else if (m.type === "fill") {
    fills.push(m);
    fillArrived();
  } else if (m.type === "error") {
    log("error frame:", JSON.stringify(m));
  }
});
function request(message) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${message.op} ${id}`)), 10_000);
    pending.set(id, (answer) => {
      clearTimeout(timer);
      (answer.type === "reject" || answer.type === "error" ? reject(new Error(JSON.stringify(answer)))
        : resolve(answer));
    });
    ws.send(JSON.stringify({ ...message, id }));
  });
}
const login = grant("Session", until);
await request({ op: "login", address: owner.address, nonce: login.nonce, validUntil: login.validUntil,
  signature: login.signature, agentKey: agentPublic });
ws.send(JSON.stringify({ op: "subscribe", channel: "account", address: owner.address, token: readToken }));

// ---- Prices on the tick grid, in exact decimals (BigInt, never floats).
const { json: [spec] } = await api("GET", `/v1/instruments?instrument=${symbol}`);
const decimals = (spec.tickSize.split(".")[1] ?? "").length;
const scale = 10n ** BigInt(decimals);
const units = (text) => { // "50000.1" -> 500001n (in 10^-decimals)
  const [whole, fraction = ""] = text.split(".");
  return BigInt(whole) * scale + BigInt((fraction + "0".repeat(decimals)).slice(0, decimals) || "0");
};
const tick = units(spec.tickSize);
const text = (n) => decimals === 0 ? n.toString()
  : `${n / scale}.${(n % scale).toString().padStart(decimals, "0")}`;
const priceAt = (mark, ticks) => text(((units(mark) + tick / 2n) / tick + BigInt(ticks)) * tick);

// ---- The loop: quote, wait for the market, cancel-replace by client order id.
const quotes = [];
const run = `mm-${Date.now().toString(36)}`;
for (let round = 1; round <= rounds; round++) {
  const { json: ticker } = await api("GET", `/v1/ticker/${symbol}`);
  for (const q of quotes.splice(0)) {
    await request({ op: "cancel", instrument: spec.id, clientOrderId: q }).catch((e) => {
      if (!e.message.includes('"code":2019')) throw e; // filled in full already: nothing to cancel
    });
  }
  const ticks = 20 + round - 1;
  // Client order ids are texts (1 to 36 of A-Z a-z 0-9 . _ : / -), fresh for each order; a resend reuses one.
  for (const [side, offset, id] of [["buy", -ticks, `${run}-bid-${round}`], ["sell", ticks, `${run}-ask-${round}`]]) {
    await request({ op: "order", instrument: spec.id, side, type: "limit", price: priceAt(ticker.mark, offset),
      quantity: "0.010", postOnly: true, clientOrderId: id });
    quotes.push(id);
  }
  log(`round ${round}: bid ${priceAt(ticker.mark, -ticks)} ask ${priceAt(ticker.mark, ticks)}`);
  if (round === 1 && fills.length === 0) {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no fill within 60 s")), 60_000);
      fillArrived = () => { clearTimeout(timer); resolve(); };
    });
    log(`fill: ${fills[0].side} ${fills[0].quantity} at ${fills[0].price} (order ${fills[0].orderId})`);
  }
}
ws.close();

// ---- History, a page at a time (the read token goes with every private read).
async function all(path) {
  const items = [];
  for (let cursor = null; ;) {
    const { json, next } = await api("GET", path + (cursor ? `&cursor=${cursor}` : ""));
    items.push(...json);
    if (!next) return items;
    cursor = next;
  }
}
const historyFills = await all(`/v1/fills?address=${owner.address}&limit=2`);
const historyOrders = await all(`/v1/orders/history?address=${owner.address}&limit=2`);

// ---- Done: cancel everything, signed by the agent (CancelAll over every instrument).
const cancelAll = { account: owner.address, instrument: 4294967295, nonce: nonce() };
const cancelAllTypes = { CancelAll: [{ name: "account", type: "address" }, { name: "instrument", type: "uint32" },
  { name: "nonce", type: "uint64" }] };
const signature = agentSign(TypedDataEncoder.hash(domain, cancelAllTypes, cancelAll));
await api("DELETE", `/v1/orders?address=${owner.address}&nonce=${cancelAll.nonce}&signature=${signature}` +
  `&agentKey=${agentPublic}`);
const { json: open } = await api("GET", `/v1/orders?address=${owner.address}`);
log(`fills ${historyFills.length}, orders ${historyOrders.length}, open after cancel-all ${open.length}`);
console.log(JSON.stringify({ streamedFills: fills.length, historyFills: historyFills.length,
  historyOrders: historyOrders.length, openAtEnd: open.length }));
