// Who signs the terminal's requests (docs/auth.md): the owner's EIP-712 signature over exactly what the node says to
// sign (POST /v1/typed-data/{kind}), by an injected wallet (EIP-1193: MetaMask and the like, window.ethereum) or, on a
// development venue, by a key kept in this browser (localStorage: anyone with this browser profile can use it, so it is
// for test money only, and the page says so). Private reads go with a read token the same signer signs once an hour.
import { Wallet } from "/terminal/vendor/ethers.mjs";

const DEV_KEY = "meridian.terminal.devKey";

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
    return { ...unsigned, signature: await this.signer.signTypedData(typed) };
  }

  /** A read token good for at least five more minutes (a new one, valid an hour, when the last is older). */
  async readToken() {
    if (this.token && this.tokenUntil - Date.now() > 300_000) return this.token;
    const validUntil = Date.now() + 3_600_000;
    const signed = await this.sign("read-access", { validUntil });
    this.token = `${signed.address}.${validUntil}.${signed.nonce}.${signed.signature}`;
    this.tokenUntil = validUntil;
    return this.token;
  }
}
