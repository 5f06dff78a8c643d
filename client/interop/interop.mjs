// Meridian from a client nobody here wrote: ethers v6 signs EIP-712 typed data, ws speaks the WebSocket, and the
// structs come from docs/auth.md, not from the node. Run by EthersInteropTest against a real node in auth mode signed.
//
// Input (environment): MERIDIAN_URL (http://127.0.0.1:PORT), MERIDIAN_AUTH_DOC (docs/auth.md), MERIDIAN_ALICE_KEY and
// MERIDIAN_BOB_KEY (secp256k1 private keys, hex; both addresses funded by the caller), MERIDIAN_AGENT_SEED (Ed25519
// seed, hex), MERIDIAN_SEED (prices and sizes are drawn from it), MERIDIAN_INSTRUMENT (a perpetual's id).
// Output: one JSON summary on stdout; progress on stderr. Any step that goes wrong throws: exit code 1.
//
// Ed25519 agent keys are out of ethers' reach (it signs with secp256k1 only): ethers computes the EIP-712 digest and
// Node's own crypto (OpenSSL) signs it with the agent key, as docs/auth.md says an agent does.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { createPrivateKey, createPublicKey, sign as ed25519Sign } from "node:crypto";
import { TypedDataEncoder, Wallet, keccak256, recoverAddress, toUtf8Bytes, verifyTypedData } from "ethers";
import WebSocket from "ws";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name}: required`);
  return value;
};
const log = (...args) => console.error("interop:", ...args);
const check = (condition, what) => {
  if (!condition) throw new Error(`check failed: ${what}`);
};

// ---- The structs as docs/auth.md publishes them ("What is signed"), parsed from its text.

/**
 * The EIP-712 struct strings of docs/auth.md's code block after `marker` (by default "The structs", the account
 * requests; "## Price feeds" has the feeds' two), as ethers' `types` object.
 */
export function structsOf(doc, marker = "The structs (") {
  const start = doc.indexOf(marker);
  check(start >= 0, `docs/auth.md has a section '${marker}'`);
  const open = doc.indexOf("```", start);
  const close = doc.indexOf("```", open + 3);
  const lines = [];
  for (const line of doc.slice(open + 3, close).split("\n")) {
    if (line.trim() === "") continue;
    if (/^\s/.test(line) && lines.length > 0) lines[lines.length - 1] += line.trim();
    else lines.push(line.trim());
  }
  const types = {};
  for (const line of lines) {
    const m = /^(\w+)\(([^)]*)\)$/.exec(line);
    check(m, `a struct line of docs/auth.md parses: ${line}`);
    types[m[1]] = m[2].split(",").map((member) => {
      const [type, name] = member.split(" ");
      return { name, type };
    });
  }
  return types;
}

// Enumeration codes: docs/auth.md's table under "Enumerations are stable codes".
const TIME_IN_FORCE = { gtc: 0, ioc: 1, fok: 2, gtd: 3 };
const ORDER_TYPE = { limit: 0, market: 1 };

// ---- Exact decimals: the API's decimal strings into the engine's integer units (ticks, lots, minor units).

function scaled(decimal) {
  check(/^-?\d+(\.\d+)?$/.test(decimal), `a plain decimal: ${decimal}`);
  const [whole, fraction = ""] = decimal.split(".");
  return [BigInt(whole + fraction), fraction.length];
}

/** decimal / step, which must be a whole number (the node refuses a price off the tick, never rounds). */
export function units(decimal, step) {
  const [a, aScale] = scaled(decimal);
  const [b, bScale] = scaled(step);
  const numerator = a * 10n ** BigInt(bScale);
  const denominator = b * 10n ** BigInt(aScale);
  check(numerator % denominator === 0n, `${decimal} is a multiple of ${step}`);
  return numerator / denominator;
}

/** units x step as a plain decimal string. */
function decimalOf(count, step) {
  const [b, bScale] = scaled(step);
  const value = count * b;
  if (bScale === 0) return value.toString();
  const digits = value.toString().padStart(bScale + 1, "0");
  const text = `${digits.slice(0, -bScale)}.${digits.slice(-bScale)}`.replace(/\.?0+$/, "");
  return text === "" ? "0" : text;
}

// ---- Seeded randomness (mulberry32), so a failing run can be repeated with the seed the test printed.

function random(seed) {
  let a = Number(BigInt.asUintN(32, BigInt(seed)));
  return (low, high) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return low + Math.floor(u * (high - low + 1));
  };
}

// ---- Ed25519 agent keys with Node's crypto: a 32-byte seed as PKCS#8, the public key from its SPKI encoding.

const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");

function agentOf(seedHex) {
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, Buffer.from(seedHex.replace(/^0x/, ""), "hex")]),
    format: "der",
    type: "pkcs8",
  });
  const spki = createPublicKey(key).export({ format: "der", type: "spki" });
  return {
    publicKey: "0x" + spki.subarray(spki.length - 32).toString("hex"),
    sign: (digest) => "0x" + ed25519Sign(null, Buffer.from(digest.slice(2), "hex"), key).toString("hex"),
  };
}

// ---- Nonces: a signer's clock in epoch milliseconds, one more than the last within a millisecond.

function nonces() {
  let last = 0;
  return () => {
    last = Math.max(last + 1, Date.now());
    return last;
  };
}

// ---- HTTP and WebSocket.

async function http(base, method, path, body, headers = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(base + path, init);
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = { text };
  }
  return { status: response.status, body: json };
}

async function ok(base, method, path, body, headers) {
  const answer = await http(base, method, path, body, headers);
  check(answer.status === 200, `${method} ${path} answered 200, was ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A WebSocket whose answers are awaited by id and whose other messages are kept for `until`. */
async function socket(url) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  const waiting = new Map();
  const messages = [];
  const watchers = [];
  ws.on("message", (data) => {
    const message = JSON.parse(data.toString());
    if (message.id !== undefined && waiting.has(message.id)) {
      waiting.get(message.id)(message);
      waiting.delete(message.id);
      return;
    }
    messages.push(message);
    for (const w of [...watchers]) w();
  });
  let nextId = 1;
  return {
    request(message, timeoutMs = 10_000) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer to ${message.op} within ${timeoutMs} ms`)), timeoutMs);
        waiting.set(id, (answer) => {
          clearTimeout(timer);
          resolve(answer);
        });
        ws.send(JSON.stringify({ ...message, id }));
      });
    },
    send(message) {
      ws.send(JSON.stringify(message));
    },
    /** The first message kept (or still to come) that `match` accepts. */
    until(match, what, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const look = () => {
          const found = messages.find(match);
          if (found) {
            clearTimeout(timer);
            watchers.splice(watchers.indexOf(look), 1);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          watchers.splice(watchers.indexOf(look), 1);
          reject(new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(messages)}`));
        }, timeoutMs);
        watchers.push(look);
        look();
      });
    },
    messages,
    close() {
      ws.close();
    },
  };
}

// ---- The published test vectors of docs/auth.md, recomputed with ethers (and Node's Ed25519 for the agent's).

export function docVectors(doc, types) {
  const json = doc.slice(doc.indexOf("```json") + 7);
  const request = JSON.parse(json.slice(0, json.indexOf("```")));
  const { EIP712Domain, ...requestTypes } = request.types;
  check(JSON.stringify(requestTypes.Order) === JSON.stringify(types.Order),
    "the wallet JSON's Order is the struct line's Order");
  const domain = request.domain;
  const cow = new Wallet(keccak256(toUtf8Bytes("cow")));
  const bob = "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB";
  const agent = agentOf("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  const order = request.message;
  const rows = [
    { name: "Order", message: order, signer: "owner" },
    { name: "ApproveAgent", message: { agentKey: agent.publicKey, name: "market-maker-1", nonce: "1700000000000",
      validUntil: "1700086400000" }, signer: "owner" },
    { name: "Order", message: { ...order, nonce: "1700000000001" }, signer: "agent" },
    { name: "Cancel", message: { account: cow.address, instrument: "1", orderId: "0", clientOrderId: "42",
      nonce: "1700000000002" } },
    { name: "Withdraw", message: { account: cow.address, asset: "2", amount: "1000000", destination: bob,
      nonce: "1700000000003" } },
    { name: "RevokeAgent", message: { agentKey: agent.publicKey, nonce: "1700000000004" } },
    { name: "Order", message: { account: cow.address, instrument: "2", isBuy: false, price: "6480000", quantity: "40",
      timeInForce: "3", reduceOnly: true, clientOrderId: "77", orderType: "3", triggerPrice: "6490000",
      triggerSource: "1", expireAt: "1700003600000000000", postOnly: "0", displayQuantity: "10",
      selfTradePrevention: "3", nonce: "1700000000011" } },
    { name: "Amend", message: { account: cow.address, instrument: "1", orderId: "7", price: "6400000", quantity: "30",
      nonce: "1700000000005" } },
    { name: "AmendTrigger", message: { account: cow.address, instrument: "2", orderId: "9", price: "0", quantity: "0",
      triggerPrice: "6495000", nonce: "1700000000014" } },
    { name: "CancelAll", message: { account: cow.address, instrument: "4294967295", nonce: "1700000000006" } },
    { name: "Settings", message: { account: cow.address, instrument: "1", leverage: "20", marginMode: "0",
      nonce: "1700000000007" } },
    { name: "Settings", message: { account: cow.address, instrument: "1", leverage: "0", marginMode: "2",
      nonce: "1700000000008" } },
    { name: "Session", message: { account: cow.address, validUntil: "1700086400000", nonce: "1700000000009" },
      signer: "owner" },
    { name: "ReadAccess", message: { account: cow.address, validUntil: "1700003600000", nonce: "1700000000010" },
      signer: "owner" },
    { name: "RiskBoundsProposal", message: { account: cow.address, instrument: "1", floorPpm: "1000000",
      ceilingPpm: "3000000", maxChangePerHourPpm: "250000", hysteresisPpm: "50000", noticeMillis: "3600000",
      nonce: "1700000000012" }, signer: "owner" },
    { name: "ProposalVote", message: { account: cow.address, proposalId: "12", action: "0", nonce: "1700000000013" },
      signer: "owner" },
    { name: "PriceReport", message: { index: "3", source: "1", price: "6012345", timestamp: "1700000000123456789",
      confidence: "18446744073709551615" }, signer: "agent" },
    { name: "SurfaceUpdate", message: { index: "3", timestamp: "5",
      body: keccak256(toUtf8Bytes('{"index":3,"timestamp":5,"quotes":[]}')) } },
  ];
  // Every struct docs/auth.md defines has a vector (the feeds' two are in its "Price feeds" block).
  const allTypes = { ...types, ...structsOf(doc, "## Price feeds") };
  const missing = Object.keys(allTypes).filter((name) => !rows.some((row) => row.name === name));
  check(missing.length === 0, `every struct has a published vector; missing: ${missing.join(", ")}`);
  const table = doc.slice(doc.indexOf("| Message | Digest | Signature |"));
  const tableLines = table.split("\n").slice(2);
  const end = tableLines.findIndex((line) => !line.startsWith("|"));
  const published = tableLines.slice(0, end < 0 ? tableLines.length : end).map((line) => {
    const cells = line.split("|").map((c) => c.trim());
    const hex = (cell) => (/0x[0-9a-f]+/.exec(cell) || [null])[0];
    return { message: cells[1], digest: hex(cells[2]), signature: hex(cells[3]) };
  });
  check(published.length === rows.length, `docs/auth.md publishes ${rows.length} vectors, found ${published.length}`);
  const results = [];
  rows.forEach((row, i) => {
    const digest = TypedDataEncoder.hash(domain, { [row.name]: allTypes[row.name] }, row.message);
    let signature = null;
    if (row.signer === "owner") {
      signature = cow.signingKey.sign(digest).serialized;
    } else if (row.signer === "agent") {
      signature = agent.sign(digest);
    }
    results.push({
      vector: published[i].message,
      digestMatches: digest === published[i].digest,
      signatureMatches: published[i].signature === signature,
      digest,
      published: published[i].digest,
    });
  });
  check(cow.address === "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", "keccak256('cow') is Cow's key");
  check(agent.publicKey === "0xd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    "RFC 8032 TEST 1's public key from its secret key");
  return results;
}

// ---- Client order ids (docs/auth.md, "Client order ids"): a text's key, computed here with ethers' keccak256.

const TEXT_KEY_BASE = 1n << 62n;

/** The key a client order id text is signed as: a plain number below 2^62 is itself, any other text a hash. */
export function clientOrderKey(text) {
  check(/^[.A-Z:/a-z0-9_-]{1,36}$/.test(text), `a client order id text: ${text}`);
  if (/^[1-9][0-9]{0,18}$/.test(text) && BigInt(text) < TEXT_KEY_BASE) return BigInt(text);
  const first = BigInt(keccak256(toUtf8Bytes(text)).slice(0, 18));
  return TEXT_KEY_BASE | (first & (TEXT_KEY_BASE - 1n));
}

/** docs/auth.md's table of client order ids and their keys, each recomputed. */
export function clientOrderIdVectors(doc) {
  const table = doc.slice(doc.indexOf("| Client order id | Key |"));
  const lines = table.split("\n").slice(2);
  const end = lines.findIndex((line) => !line.startsWith("|"));
  return lines.slice(0, end < 0 ? lines.length : end).map((line) => {
    const cells = line.split("|").map((c) => c.trim().replace(/^`|`$/g, ""));
    const computed = clientOrderKey(cells[1]).toString();
    return { text: cells[1], published: cells[2], computed, matches: computed === cells[2] };
  });
}

// ---- The run.

async function main() {
  const base = env("MERIDIAN_URL");
  const doc = readFileSync(env("MERIDIAN_AUTH_DOC"), "utf8");
  const seed = env("MERIDIAN_SEED");
  const instrumentId = Number(env("MERIDIAN_INSTRUMENT"));
  const draw = random(seed);
  const types = structsOf(doc);
  const summary = { seed, vectors: docVectors(doc, types), clientOrderIds: clientOrderIdVectors(doc) };
  log("docs/auth.md vectors recomputed:", summary.vectors.map((v) => v.digestMatches && v.signatureMatches));
  log("docs/auth.md client order id keys recomputed:", summary.clientOrderIds.map((v) => v.matches));

  // The domain is the node's: GET /v1/auth.
  const auth = await ok(base, "GET", "/v1/auth");
  check(auth.mode === "signed", `the node is in auth mode signed, was ${auth.mode}`);
  const domain = { name: auth.name, version: auth.version, chainId: auth.chainId,
    verifyingContract: auth.verifyingContract };
  summary.domain = domain;
  const digestOf = (name, message) => TypedDataEncoder.hash(domain, { [name]: types[name] }, message);
  const instrument = (await ok(base, "GET", "/v1/instruments")).find((i) => i.id === instrumentId);
  check(instrument, `instrument ${instrumentId} is listed`);
  const asset = (await ok(base, "GET", "/v1/assets")).find((a) => a.symbol === instrument.settle);
  const mark = (await ok(base, "GET", `/v1/ticker/${instrumentId}`)).mark;
  const tick = instrument.tickSize;
  const lot = instrument.lotSize;
  const markTicks = units(mark, tick);

  const alice = new Wallet(env("MERIDIAN_ALICE_KEY"));
  const bob = new Wallet(env("MERIDIAN_BOB_KEY"));
  const agent = agentOf(env("MERIDIAN_AGENT_SEED"));
  const nonce = { alice: nonces(), bob: nonces(), agent: nonces() };
  summary.alice = alice.address;
  summary.bob = bob.address;
  summary.agentKey = agent.publicKey;

  /** The Order struct a REST order body stands for (docs/auth.md: a left-out option is signed as its default code). */
  const orderMessage = (wallet, body, n) => ({
    account: wallet.address, instrument: body.instrument, isBuy: body.side === "buy",
    price: body.type === "market" ? 0n : units(body.price, tick), quantity: units(body.quantity, lot),
    // A market order is IOC; a limit order's time in force defaults to GTC.
    timeInForce: body.type === "market" ? TIME_IN_FORCE.ioc : TIME_IN_FORCE[body.timeInForce ?? "gtc"],
    reduceOnly: body.reduceOnly ?? false, orderType: ORDER_TYPE[body.type],
    // A client order id given as text is signed as its key (docs/auth.md, "Client order ids").
    clientOrderId: typeof body.clientOrderId === "string" ? clientOrderKey(body.clientOrderId) : body.clientOrderId ?? 0,
    triggerPrice: 0, triggerSource: 0, expireAt: 0, postOnly: body.postOnly ? 1 : 0, displayQuantity: 0,
    selfTradePrevention: 0, nonce: n,
  });

  /** Signs an order body for `wallet`'s account: the body comes back with address, nonce, signature (and agent key). */
  async function signedOrder(wallet, body, signer = "owner", overrides = {}) {
    const n = signer === "agent" ? nonce.agent() : nonce[wallet === alice ? "alice" : "bob"]();
    const message = { ...orderMessage(wallet, body, n), ...overrides };
    if (signer === "agent") {
      return { ...body, address: wallet.address, nonce: n, agentKey: agent.publicKey,
        signature: agent.sign(digestOf("Order", message)) };
    }
    const signature = await wallet.signTypedData(domain, { Order: types.Order }, message);
    check(verifyTypedData(domain, { Order: types.Order }, message, signature) === wallet.address,
      "ethers recovers its own signer");
    return { ...body, address: wallet.address, nonce: n, signature };
  }

  /** A read token (ReadAccess signed by the owner): address.validUntil.nonce.signature. */
  async function readToken(wallet) {
    const message = { account: wallet.address, validUntil: Date.now() + 600_000,
      nonce: nonce[wallet === alice ? "alice" : "bob"]() };
    const signature = await wallet.signTypedData(domain, { ReadAccess: types.ReadAccess }, message);
    return `${wallet.address}.${message.validUntil}.${message.nonce}.${signature}`;
  }
  const tokens = { alice: await readToken(alice), bob: await readToken(bob) };
  const read = (who, path) => ok(base, "GET", path, undefined, { "X-Meridian-Read-Token": tokens[who] });
  // REST and the account stream name a balance's asset alike: "asset" the symbol, "assetId" the id.
  const balance = async (who) => (await read(who, "/v1/balances")).find((b) => b.asset === asset.symbol);
  const accountOf = async (who, wallet) => (await read(who, `/v1/accounts/${wallet.address}`)).account;
  summary.accounts = { alice: await accountOf("alice", alice), bob: await accountOf("bob", bob) };
  summary.balancesBefore = { alice: await balance("alice"), bob: await balance("bob") };

  // 1. Alice rests a limit sell over REST, signed by her wallet; then a second one she cancels with a signed DELETE.
  const askTicks = markTicks + BigInt(draw(1, 50));
  const aliceQty = BigInt(draw(5, 20));
  // A text client order id (as Binance takes them): signed as its key, echoed back as the text.
  const clientOrderId = `ethers/${draw(1, 999_999)}:a_b.c-${draw(1, 999)}`;
  const aliceOrder = await ok(base, "POST", "/v1/orders", await signedOrder(alice, {
    instrument: instrumentId, side: "sell", type: "limit", price: decimalOf(askTicks, tick),
    quantity: decimalOf(aliceQty, lot), timeInForce: "gtc", clientOrderId,
  }));
  check(aliceOrder.status === "accepted", `alice's order accepted: ${JSON.stringify(aliceOrder)}`);
  const open = await read("alice", `/v1/orders?address=${alice.address}&instrument=${instrumentId}`);
  const listed = open.find((o) => o.orderId === aliceOrder.orderId);
  summary.restOrder = { ...aliceOrder, sentClientOrderId: clientOrderId, price: decimalOf(askTicks, tick),
    quantity: decimalOf(aliceQty, lot), listed: listed !== undefined, listedClientOrderId: listed?.clientOrderId };
  log("REST order", summary.restOrder);

  const farTicks = markTicks + BigInt(draw(200, 400));
  const toCancel = await ok(base, "POST", "/v1/orders", await signedOrder(alice, {
    instrument: instrumentId, side: "sell", type: "limit", price: decimalOf(farTicks, tick), quantity: lot,
  }));
  const cancelMessage = { account: alice.address, instrument: instrumentId, orderId: toCancel.orderId,
    clientOrderId: 0, nonce: nonce.alice() };
  const cancelSignature = await alice.signTypedData(domain, { Cancel: types.Cancel }, cancelMessage);
  const restCancel = await ok(base, "DELETE", `/v1/orders/${toCancel.orderId}?instrument=${instrumentId}`
    + `&address=${alice.address}&nonce=${cancelMessage.nonce}&signature=${cancelSignature}`);
  summary.restCancel = { orderId: toCancel.orderId, status: restCancel.status };

  // 2. Alice approves an agent key (ApproveAgent signed by her wallet); the agent signs an order (Ed25519 over the
  //    digest ethers computed).
  const approval = { agentKey: agent.publicKey, name: "interop-bot", nonce: nonce.alice(),
    validUntil: Date.now() + 3_600_000 };
  const approvalSignature = await alice.signTypedData(domain, { ApproveAgent: types.ApproveAgent }, approval);
  const approved = await ok(base, "POST", "/v1/agents", { address: alice.address, ...approval,
    signature: approvalSignature });
  const agentAskTicks = askTicks + BigInt(draw(1, 20));
  const agentQty = BigInt(draw(5, 20));
  const agentOrder = await ok(base, "POST", "/v1/orders", await signedOrder(alice, {
    instrument: instrumentId, side: "sell", type: "limit", price: decimalOf(agentAskTicks, tick),
    quantity: decimalOf(agentQty, lot),
  }, "agent"));
  summary.agent = { approval: approved.status, order: agentOrder, price: decimalOf(agentAskTicks, tick),
    quantity: decimalOf(agentQty, lot) };
  log("agent order", agentOrder);

  // 3. Bob logs in to a WebSocket session (Session signed by his wallet), follows his account stream (by address),
  //    places an order in the session and cancels it, then buys through both of alice's asks.
  const ws = await socket(base.replace(/^http/, "ws") + "/ws");
  const session = { account: bob.address, validUntil: Date.now() + 600_000, nonce: nonce.bob() };
  const login = await ws.request({ op: "login", address: bob.address, nonce: session.nonce,
    validUntil: session.validUntil,
    signature: await bob.signTypedData(domain, { Session: types.Session }, session) });
  check(login.type === "ack", `login acknowledged: ${JSON.stringify(login)}`);
  const subscribed = await ws.request({ op: "subscribe", channel: "account", address: bob.address });
  check(subscribed.type === "subscribed" && subscribed.account === summary.accounts.bob
    && subscribed.address === bob.address, `bob's account stream, by address: ${JSON.stringify(subscribed)}`);
  const bidTicks = markTicks - BigInt(draw(100, 200));
  const resting = await ws.request({ op: "order", instrument: instrumentId, side: "buy", type: "limit",
    price: decimalOf(bidTicks, tick), quantity: lot });
  check(resting.type === "ack", `session order acknowledged: ${JSON.stringify(resting)}`);
  const canceled = await ws.request({ op: "cancel", instrument: instrumentId, orderId: resting.orderId });
  const streamedCancel = await ws.until((m) => m.type === "order" && m.orderId === resting.orderId
    && m.status === "canceled", "canceled order on bob's account stream");
  summary.session = { login: login.type, session: login.session, subscribed, order: resting, cancel: canceled.type,
    streamedCancel: streamedCancel.status };

  const takeQty = aliceQty + agentQty;
  const take = await ws.request({ op: "order", instrument: instrumentId, side: "buy", type: "limit",
    price: decimalOf(agentAskTicks, tick), quantity: decimalOf(takeQty, lot), timeInForce: "ioc" });
  check(take.type === "ack", `the crossing order acknowledged: ${JSON.stringify(take)}`);
  const streamedFills = [];
  for (const makerOrder of [aliceOrder.orderId, agentOrder.orderId]) {
    streamedFills.push(await ws.until((m) => m.type === "fill" && m.orderId === take.orderId
      && !streamedFills.includes(m) && m.tradeId !== undefined, `fill against order ${makerOrder}`));
  }
  ws.close();
  summary.trade = { order: take, quantity: decimalOf(takeQty, lot), streamedFills };
  log("crossing order", take);

  // 4. Fills and positions read back with each owner's read token.
  summary.fills = {
    alice: await read("alice", `/v1/fills?address=${alice.address}&instrument=${instrumentId}`),
    bob: await read("bob", `/v1/fills?address=${bob.address}&instrument=${instrumentId}`),
  };
  summary.positions = {
    alice: await read("alice", `/v1/positions?address=${alice.address}&instrument=${instrumentId}`),
    bob: await read("bob", `/v1/positions?address=${bob.address}&instrument=${instrumentId}`),
  };
  summary.balancesAfterTrade = { alice: await balance("alice"), bob: await balance("bob") };

  // 5. A request whose signed fields differ from the sent ones: bob signs one price and sends the next tick.
  const signed = await signedOrder(bob, { instrument: instrumentId, side: "buy", type: "limit",
    price: decimalOf(bidTicks, tick), quantity: lot });
  const altered = { ...signed, price: decimalOf(bidTicks + 1n, tick) };
  const refused = await http(base, "POST", "/v1/orders", altered);
  // What the node hashes: the struct of the body as sent, whose signer ethers recovers as the node does.
  const alteredDigest = digestOf("Order", orderMessage(bob, altered, signed.nonce));
  summary.tampered = { status: refused.status, body: refused.body, signedPrice: signed.price, sentPrice: altered.price,
    recovered: recoverAddress(alteredDigest, signed.signature), digest: alteredDigest };
  log("tampered order", refused.status, refused.body);

  // 6. A body without a trigger is signed with triggerSource 0 (LAST, the command's default), as every order above
  //    was; signed as 255 ("absent") it is another message, refused like any altered one.
  const as255 = await http(base, "POST", "/v1/orders", await signedOrder(bob, { instrument: instrumentId,
    side: "buy", type: "limit", price: decimalOf(bidTicks, tick), quantity: lot }, "owner", { triggerSource: 255 }));
  summary.triggerSource255 = { status: as255.status, body: as255.body };

  // 7. Alice withdraws (Withdraw signed by her wallet; amount in minor units, the body in whole units).
  const scale = asset.scale === 0 ? "1" : "0." + "0".repeat(asset.scale - 1) + "1";
  const wholeUnit = 10n ** BigInt(asset.scale);
  const amountMinor = BigInt(draw(1, 1000)) * wholeUnit + BigInt(draw(0, Number(wholeUnit) - 1));
  const withdrawal = { account: alice.address, asset: asset.id, amount: amountMinor, destination: bob.address,
    nonce: nonce.alice() };
  const withdrawalSignature = await alice.signTypedData(domain, { Withdraw: types.Withdraw }, withdrawal);
  const balanceBeforeWithdrawal = await balance("alice");
  const withdrawn = await ok(base, "POST", "/v1/withdrawals", { address: alice.address, asset: asset.id,
    amount: decimalOf(amountMinor, scale), destination: bob.address, nonce: withdrawal.nonce,
    signature: withdrawalSignature });
  summary.withdrawal = { status: withdrawn.status, amount: decimalOf(amountMinor, scale),
    balanceBefore: balanceBeforeWithdrawal, balanceAfter: await balance("alice") };
  log("withdrawal", summary.withdrawal.amount, withdrawn.status);

  process.stdout.write(JSON.stringify(summary, (key, value) => (typeof value === "bigint" ? value.toString() : value))
    + "\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(() => process.exit(0), (error) => {
    console.error("interop: failed:", error.stack || error);
    process.exit(1);
  });
}
