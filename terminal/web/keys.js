// Who signs the terminal's requests (docs/auth.md): the owner's EIP-712 signature over exactly what the node says to
// sign (POST /v1/typed-data/{kind}), by an injected wallet (EIP-1193: MetaMask and the like, window.ethereum) or, on a
// development venue, by a key kept in this browser (localStorage: anyone with this browser profile can use it, so it is
// for test money only, and the page says so). Private reads go with a read token the same signer signs once an hour.
import { TypedDataEncoder, Wallet } from "/terminal/vendor/ethers.mjs";

const DEV_KEY = "meridian.terminal.devKey";
const AGENT_KEY = "meridian.terminal.agentKey";

/** The typed data without its EIP712Domain type, as ethers' signTypedData takes it. */
function split(typed) {
  const { EIP712Domain, ...types } = typed.types;
  return { domain: typed.domain, types, message: typed.message };
}

/** A secp256k1 key kept in this browser, for development venues. */
export class DevKeySigner {
  constructor(wallet) {
    this.wallet = wallet;
    this.kind = "dev key";
  }

  /** The key this browser keeps, or null. */
  static load(storage = localStorage) {
    const hex = storage.getItem(DEV_KEY);
    return hex ? new DevKeySigner(new Wallet(hex)) : null;
  }

  /** A new random key, kept in this browser. */
  static create(storage = localStorage) {
    const wallet = Wallet.createRandom();
    storage.setItem(DEV_KEY, wallet.privateKey);
    return new DevKeySigner(new Wallet(wallet.privateKey));
  }

  static forget(storage = localStorage) {
    storage.removeItem(DEV_KEY);
  }

  get address() {
    return this.wallet.address;
  }

  async signTypedData(typed) {
    const { domain, types, message } = split(typed);
    return this.wallet.signTypedData(domain, types, message);
  }
}

/** The browser's wallet (EIP-1193 provider), asked for each signature. */
export class InjectedWalletSigner {
  constructor(provider, address) {
    this.provider = provider;
    this.address = address;
    this.kind = "wallet";
  }

  static available() {
    return typeof window !== "undefined" && !!window.ethereum;
  }

  static async connect(provider = window.ethereum) {
    const [address] = await provider.request({ method: "eth_requestAccounts" });
    return new InjectedWalletSigner(provider, address);
  }

  async signTypedData(typed) {
    return this.provider.request({ method: "eth_signTypedData_v4", params: [this.address, JSON.stringify(typed)] });
  }
}

const hex = (bytes) => "0x" + [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
const bytesOf = (text) => Uint8Array.from(text.replace(/^0x/, "").match(/../g).map((h) => parseInt(h, 16)));
const base64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
const unbase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/**
 * An agent key (Ed25519, docs/auth.md "Agent keys") made by this browser's WebCrypto and approved once by the owner's
 * signer (one wallet signature of ApproveAgent): from then on it signs orders, cancels and read tokens itself, so a
 * wallet is not asked for each order. It can trade for the owner, never withdraw; its private key is kept in this
 * browser (localStorage, as PKCS#8) until forgotten, and its approval ends after a week.
 */
export class AgentKeySigner {
  constructor(owner, privateKey, publicKey) {
    this.address = owner;
    this.privateKey = privateKey;
    this.agentKey = publicKey;
    this.kind = "agent key";
  }

  /** The agent key this browser keeps, or null. */
  static async load(storage = localStorage) {
    const kept = storage.getItem(AGENT_KEY);
    if (!kept) return null;
    const { owner, pkcs8, publicKey } = JSON.parse(kept);
    const key = await crypto.subtle.importKey("pkcs8", unbase64(pkcs8), { name: "Ed25519" }, false, ["sign"]);
    return new AgentKeySigner(owner, key, publicKey);
  }

  /** A new key, approved by `owner` (a RequestSigner over a wallet or a dev key) for a week, and kept here. */
  static async approve(owner, post, storage = localStorage) {
    const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
    const publicKey = hex(await crypto.subtle.exportKey("raw", pair.publicKey));
    const approval = await owner.sign("approve-agent", { agentKey: publicKey, name: "terminal",
      validUntil: Date.now() + 7 * 86_400_000 });
    await post("/v1/agents", approval);
    const pkcs8 = base64(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
    storage.setItem(AGENT_KEY, JSON.stringify({ owner: owner.signer.address, pkcs8, publicKey }));
    return new AgentKeySigner(owner.signer.address, pair.privateKey, publicKey);
  }

  static forget(storage = localStorage) {
    storage.removeItem(AGENT_KEY);
  }

  /** The Ed25519 signature (hex) of the typed data's EIP-712 digest, which ethers computes from the JSON. */
  async signTypedData(typed) {
    const { domain, types, message } = split(typed);
    const digest = TypedDataEncoder.hash(domain, types, message);
    return hex(await crypto.subtle.sign({ name: "Ed25519" }, this.privateKey, bytesOf(digest)));
  }
}

/**
 * Signs requests for `signer` against the node: each one's typed data comes from the node (so what is signed is what
 * the node checks), the nonce is this page's clock in milliseconds, bumped within a millisecond.
 */
export class RequestSigner {
  constructor(signer, post) {
    this.signer = signer;
    this.post = post; // async (path, body) => JSON
    this.last = 0;
    this.token = null;
    this.tokenUntil = 0;
  }

  nonce() {
    this.last = Math.max(this.last + 1, Date.now());
    return this.last;
  }

  /** `body` with address, nonce and the signature of its `kind`'s typed data. */
  async sign(kind, body) {
    const unsigned = { ...body, address: this.signer.address, nonce: this.nonce() };
    const typed = await this.post(`/v1/typed-data/${kind}`, unsigned);
    const signed = { ...unsigned, signature: await this.signer.signTypedData(typed) };
    if (this.signer.agentKey) signed.agentKey = this.signer.agentKey; // an agent's signature names its key
    return signed;
  }

  /** A read token good for at least five more minutes (a new one, valid an hour, when the last is older). */
  async readToken() {
    if (this.token && this.tokenUntil - Date.now() > 300_000) return this.token;
    const validUntil = Date.now() + 3_600_000;
    const signed = await this.sign("read-access", { validUntil });
    // An owner's token ends with its signature; an agent's with its Ed25519 signature (bare hex) and its key.
    this.token = this.signer.agentKey
      ? `${signed.address}.${validUntil}.${signed.nonce}.${signed.signature.slice(2)}.${this.signer.agentKey}`
      : `${signed.address}.${validUntil}.${signed.nonce}.${signed.signature}`;
    this.tokenUntil = validUntil;
    return this.token;
  }
}
