// The Account page: the signer's account (the Trade page's signer: a wallet or this browser's dev key) per asset
// (balance, equity, initial and maintenance margin, available to withdraw, health) and its open positions (side, size,
// entry, mark, unrealised and realised PnL, liquidation price, margin mode and leverage), read with a read token and
// refreshed from the account stream. Numbers are the API's, in each instrument's and asset's decimals. Each position
// shows its auto-deleveraging light (adlRank); the withdraw form lists the account's withdrawals with their settlement
// (GET /v1/withdrawals: no chain, waiting for a batch, in batch N, root posted, paid with the transaction) and, once one
// is paid, the inclusion proof of the account's balances in the latest committed batch (GET /v1/proof/{address}).
// On a venue that settles on a chain (GET /v1/settlement answers), the deposit form sends the ERC-20 approve (when the
// vault's allowance is short) and the vault's deposit from the browser's wallet (EIP-1193, through ethers'
// BrowserProvider), shows both transactions, and says the deposit is credited once the node's watcher has credited its
// vault id (after K confirmations) and the account's balance shows it.
import { BrowserProvider, Contract } from "/terminal/vendor/ethers.mjs";
import { decimalsOf, fixed, fromScaled, grouped } from "./format.js";
import { AgentKeySigner, DevKeySigner, InjectedWalletSigner, RequestSigner } from "./keys.js";
import { adlLights, chainError, depositAmount, shortHash, withdrawalState } from "./ledger.js";
import { element, setText } from "./render.js";

const BALANCE_COLUMNS = [["asset", "Asset"], ["balance", "Balance"], ["equity", "Equity"],
  ["initialMargin", "Initial margin"], ["maintenanceMargin", "Maintenance"], ["availableToWithdraw", "Available"],
  ["health", "Health"]];
const POSITION_COLUMNS = [["symbol", "Instrument"], ["side", "Side"], ["size", "Size"], ["entryPrice", "Entry"],
  ["mark", "Mark"], ["unrealizedPnl", "Unrealised PnL"], ["realizedPnl", "Realised PnL"],
  ["liquidationPrice", "Liquidation price"], ["marginMode", "Margin"], ["leverage", "Leverage"], ["adlRank", "ADL"]];
// OpenZeppelin's ERC-20 errors (TestUSD and most tokens), which the vault's transferFrom passes on.
const ERC20_ERRORS = ["error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
  "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
  "error ERC20InvalidSpender(address spender)", "error ERC20InvalidApprover(address approver)"];
// The calls the deposit makes, with the vault's custom errors so a revert is named (settlement/contracts/src).
const TOKEN_ABI = ["function balanceOf(address) view returns (uint256)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)", ...ERC20_ERRORS];
const VAULT_ABI = ["function deposit(address asset, uint256 amount, address account)",
  "event Deposited(uint64 indexed depositId, address indexed from, address indexed account, address asset,"
    + " uint256 amount)",
  "error IsFrozen()", "error NotListed()", "error BadAmount()", "error ReentrancyGuardReentrantCall()",
  "error SafeERC20FailedOperation(address token)", ...ERC20_ERRORS];
// How often the page asks the node whether its deposit is credited, and for how long at most (K blocks of a slow
// chain, or deposits queued ahead of it, can take a while; the page never polls forever).
const CREDIT_POLL_MS = 1_000;
const CREDIT_WAIT_MS = 30 * 60_000;
/**
 * A send's revert named by the contract's ABI: ethers decodes only Error(string) and Panic when a wallet's gas estimate
 * reverts, so a custom error (IsFrozen(), ERC20InsufficientBalance(...)) is looked up here.
 */
function named(contract, e) {
  if (e && !e.revert && typeof e.data === "string") {
    try {
      const error = contract.interface.parseError(e.data);
      if (error) e.revert = { name: error.name, args: [...error.args] };
    } catch {
      // Not one of this contract's errors: the message says what the wallet said.
    }
  }
  return e;
}

const WITHDRAWAL_COLUMNS = [["sequence", "Id"], ["time", "Time"], ["asset", "Asset"], ["amount", "Amount"],
  ["destination", "Destination"], ["state", "Settlement"]];

export class AccountPage {
  constructor(root, http, feed, instruments) {
    this.http = http;
    this.feed = feed;
    this.instruments = new Map(instruments.map((i) => [i.id, i]));
    this.build(root);
    // The Trade page's signer: an approved agent key first, else this browser's dev key.
    AgentKeySigner.load().catch(() => null).then((agent) => {
      const signer = agent ?? DevKeySigner.load();
      this.signer = signer ? new RequestSigner(signer, (path, body) => this.http.post(path, body)) : null;
      setText(this.status, signer ? `${signer.address} (${signer.kind})`
        : "No signer: make a dev key or connect a wallet on the Trade page.");
      return this.refresh();
    }).catch((e) => setText(this.status, e.message));
  }

  build(root) {
    root.replaceChildren();
    const page = element("div", "account");
    root.append(page);
    const table = (id, title, columns) => {
      const panel = element("section", "panel");
      panel.append(element("div", "panel-bar", title));
      const grid = element("table", "grid");
      grid.id = id;
      const head = element("tr");
      for (const [, label] of columns) head.append(element("th", "num", label));
      grid.append(element("thead"));
      grid.firstChild.append(head);
      grid.append(element("tbody"));
      panel.append(grid);
      page.append(panel);
      return grid.lastChild;
    };
    this.status = element("div", "who", "");
    this.status.id = "account-who";
    page.append(this.status);
    this.balanceRows = table("balances-table", "Balances", BALANCE_COLUMNS);
    this.positionRows = table("positions-table", "Positions", POSITION_COLUMNS);
    page.append(this.settingsPanel());
    page.append(this.depositPanel());
    page.append(this.withdrawPanel());
  }

  /**
   * Deposit on chain: shown ready only when the node settles on a chain (GET /v1/settlement; 404 otherwise) and the
   * browser has a wallet; otherwise it says why deposits cannot be made from here.
   */
  depositPanel() {
    const panel = element("section", "panel");
    panel.append(element("div", "panel-bar", "Deposit on chain"));
    const body = element("div", "buttons deposit");
    this.depositAsset = element("select");
    this.depositAsset.id = "deposit-asset";
    this.depositAmountInput = element("input");
    this.depositAmountInput.id = "deposit-amount";
    this.depositAmountInput.placeholder = "amount";
    this.depositButton = element("button", "action", "Deposit from wallet");
    this.depositButton.id = "deposit";
    this.depositButton.disabled = true;
    this.depositSay = element("span", "status", "reading the venue's settlement…");
    this.depositSay.id = "deposit-status";
    this.depositButton.addEventListener("click", () => {
      this.depositButton.disabled = true; // one deposit at a time: a wallet's transactions go one after another
      this.deposit(Number(this.depositAsset.value), this.depositAmountInput.value)
        .catch((e) => setText(this.depositSay, `deposit: ${chainError(e)}`))
        .finally(() => { this.depositButton.disabled = !this.depositReady; });
    });
    body.append(this.depositAsset, this.depositAmountInput, this.depositButton, this.depositSay);
    this.depositTxs = element("div", "deposit-txs");
    this.depositTxs.id = "deposit-txs";
    panel.append(body, this.depositTxs);
    this.loadSettlement();
    return panel;
  }

  async loadSettlement() {
    let settlement;
    let assets;
    try {
      [settlement, assets] = await Promise.all([this.http.get("/v1/settlement"), this.http.get("/v1/assets")]);
    } catch (e) {
      setText(this.depositSay, e.message.startsWith("404")
        ? "Deposits on chain are not possible here: this venue settles on no chain (on a development venue the"
          + " Trade page's dev deposit funds an account)."
        : `Deposits on chain are not possible now: the node's settlement status is unavailable (${e.message}).`);
      return;
    }
    const scales = new Map(assets.map((a) => [a.id, a]));
    this.chain = { chainId: BigInt(settlement.chainId), vault: settlement.vault,
      confirmations: settlement.confirmations, tokens: new Map() };
    for (const { asset, token } of settlement.assets ?? []) {
      const spec = scales.get(asset);
      if (!spec) continue;
      this.chain.tokens.set(asset, { token, symbol: spec.symbol, scale: spec.scale });
      const option = element("option", null, `${spec.symbol} (token ${shortHash(token)})`);
      option.value = String(asset);
      this.depositAsset.append(option);
    }
    if (this.chain.tokens.size === 0) {
      setText(this.depositSay, "Deposits on chain are not possible here: the vault takes no asset of this venue.");
    } else if (!InjectedWalletSigner.available()) {
      setText(this.depositSay, "Deposits on chain need a wallet in this browser (an EIP-1193 wallet such as"
        + " MetaMask): none was found.");
    } else {
      this.depositReady = true;
      this.depositButton.disabled = false;
      setText(this.depositSay, `chain ${settlement.chainId}, vault ${shortHash(settlement.vault)}: the node credits a`
        + ` deposit once ${settlement.confirmations} blocks hold it`);
    }
  }

  /**
   * Approve (when the vault's allowance is short) and deposit from the wallet, crediting the page's account (the
   * wallet's own when the page has no signer yet, which then signs for the page); then wait until the node credits
   * the deposit's vault id and the balance shows it.
   */
  async deposit(assetId, text) {
    const chain = this.chain;
    const asset = chain?.tokens.get(assetId);
    if (!asset) throw new Error("choose an asset the vault takes");
    const amount = depositAmount(text, asset.scale);
    setText(this.depositSay, "asking the wallet…");
    this.depositTxs.replaceChildren();
    // A provider per deposit: one made before the user switched the wallet's chain would refuse the new network.
    const provider = new BrowserProvider(window.ethereum);
    await provider.send("eth_requestAccounts", []);
    const network = await provider.getNetwork();
    if (network.chainId !== chain.chainId) {
      throw new Error(`the wallet is on chain ${network.chainId}; switch it to chain ${chain.chainId}, the venue's`);
    }
    const wallet = await provider.getSigner();
    const from = await wallet.getAddress();
    if (!this.signer) {
      this.signer = new RequestSigner(new InjectedWalletSigner(window.ethereum, from),
        (path, body) => this.http.post(path, body));
      setText(this.status, `${from} (wallet)`);
    }
    const account = this.signer.signer.address;
    const token = new Contract(asset.token, TOKEN_ABI, wallet);
    const vault = new Contract(chain.vault, VAULT_ABI, wallet);
    const held = await token.balanceOf(from);
    if (held < amount) {
      throw new Error(`the wallet holds ${fromScaled(held, asset.scale)} ${asset.symbol}, less than`
        + ` ${fromScaled(amount, asset.scale)}`);
    }
    if ((await token.allowance(from, chain.vault)) < amount) {
      setText(this.depositSay, "approve the vault in the wallet…");
      const approval = await token.approve(chain.vault, amount).catch((e) => { throw named(token, e); });
      this.showTx("approve", approval.hash);
      const mined = await this.receipt(provider, approval.hash);
      if (mined.status !== 1) throw new Error(`the approve ${approval.hash} failed on chain`);
    }
    setText(this.depositSay, "confirm the deposit in the wallet…");
    const sent = await vault.deposit(asset.token, amount, account).catch((e) => { throw named(vault, e); });
    this.showTx("deposit", sent.hash);
    const receipt = await this.receipt(provider, sent.hash);
    if (receipt.status !== 1) throw new Error(`the deposit ${sent.hash} failed on chain`);
    const event = receipt.logs.map((l) => { try { return vault.interface.parseLog(l); } catch { return null; } })
      .find((l) => l && l.name === "Deposited");
    if (!event) throw new Error(`the deposit ${sent.hash} was mined without a Deposited event`);
    const depositId = event.args.depositId;
    const credited = fromScaled(event.args.amount, asset.scale);
    setText(this.depositSay, `deposit ${depositId} of ${credited} ${asset.symbol} mined; the node credits it once`
      + ` ${chain.confirmations} blocks hold it…`);
    await this.awaitCredit(depositId, assetId, credited, asset.symbol);
  }

  /**
   * The transaction's receipt once it is mined, asked for every second (bounded). Not ethers' wait(), which counts
   * confirmations from a block number it may have cached and then waits for a new block: on a chain that mines only
   * when sent a transaction, that block may never come.
   */
  async receipt(provider, hash) {
    const until = Date.now() + CREDIT_WAIT_MS;
    while (!this.closed && Date.now() < until) {
      const receipt = await provider.getTransactionReceipt(hash);
      if (receipt) return receipt;
      await new Promise((resolve) => { setTimeout(resolve, CREDIT_POLL_MS); });
    }
    throw new Error(`${hash} is not mined after ${CREDIT_WAIT_MS / 60_000} minutes, or the page was left`);
  }

  /** The account's balance of an asset as the node has it now (a decimal string; "0" without a row). */
  async balanceOf(assetId) {
    const token = await this.signer.readToken();
    const balances = await this.http.get(`/v1/balances?address=${this.signer.signer.address}`, token);
    return balances.find((b) => b.assetId === assetId)?.balance ?? "0";
  }

  /** Until the node's last credited vault deposit id reaches ours, then the balance is read and shown with it. */
  async awaitCredit(depositId, assetId, amount, symbol) {
    const until = Date.now() + CREDIT_WAIT_MS;
    while (!this.closed) {
      const status = await this.http.get("/v1/settlement");
      if (BigInt(status.lastCreditedDepositId ?? 0) >= depositId) {
        // Read after the credit (a first deposit opens the account: before it there is no balance to read).
        const now = await this.balanceOf(assetId);
        this.depositSay.dataset.credited = String(depositId);
        setText(this.depositSay, `credited: deposit ${depositId} of ${amount} ${symbol}; balance now ${grouped(now)}`);
        await this.refresh().catch((e) => setText(this.status, e.message));
        return;
      }
      if (Date.now() > until) {
        setText(this.depositSay, `deposit ${depositId} is not credited after ${CREDIT_WAIT_MS / 60_000} minutes:`
          + ` the node's settlement status says ${status.lastError ?? "no error"}`);
        return;
      }
      await new Promise((resolve) => { setTimeout(resolve, CREDIT_POLL_MS); });
    }
  }

  showTx(label, hash) {
    const line = element("div", "who", `${label}: ${hash}`);
    line.dataset.kind = label;
    line.dataset.hash = hash;
    this.depositTxs.append(line);
  }

  /**
   * A withdrawal: signed by the owner only (a wallet or the dev key; an agent key may not move money out), over what
   * POST /v1/typed-data/withdraw says to sign; on a venue that settles on chain it is paid by the vault's next batch.
   */
  withdrawPanel() {
    const panel = element("section", "panel");
    panel.append(element("div", "panel-bar", "Withdraw"));
    const body = element("div", "buttons withdraw");
    const asset = element("input");
    asset.id = "withdraw-asset";
    asset.value = "0";
    asset.title = "asset id";
    const amount = element("input");
    amount.id = "withdraw-amount";
    amount.placeholder = "amount";
    const destination = element("input");
    destination.id = "withdraw-destination";
    destination.placeholder = "destination (your address when empty)";
    const say = element("span", "status");
    say.id = "withdraw-status";
    const go = element("button", "action", "Sign and withdraw");
    go.id = "withdraw";
    go.addEventListener("click", () => this.withdraw(Number(asset.value), amount.value.trim(),
      destination.value.trim()).then((a) => setText(say, `${a.status}: sequence ${a.sequence}`),
      (e) => setText(say, e.message)));
    body.append(asset, amount, destination, go, say);
    panel.append(body);
    const grid = element("table", "grid");
    grid.id = "withdrawals-table";
    const head = element("tr");
    for (const [, label] of WITHDRAWAL_COLUMNS) head.append(element("th", "num", label));
    grid.append(element("thead"), element("tbody"));
    grid.firstChild.append(head);
    this.withdrawalRows = grid.lastChild;
    this.proofBox = element("div", "proof");
    this.proofBox.id = "withdrawal-proof";
    panel.append(grid, this.proofBox);
    return panel;
  }

  async withdraw(asset, amount, destination) {
    if (!this.signer) throw new Error("no signer: make a dev key or connect a wallet on the Trade page");
    if (this.signer.signer.agentKey) {
      throw new Error("an agent key cannot withdraw: forget it and sign with the wallet or the dev key");
    }
    const body = { asset, amount, destination: destination || this.signer.signer.address };
    const answer = await this.http.post("/v1/withdrawals", await this.signer.sign("withdraw", body));
    await this.refresh();
    return answer;
  }

  /**
   * Leverage and margin mode per instrument, and portfolio margin for the account, each a signed `Settings` (the
   * node says what to sign: POST /v1/typed-data/settings).
   */
  settingsPanel() {
    const panel = element("section", "panel");
    panel.append(element("div", "panel-bar", "Settings"));
    const body = element("div", "buttons settings");
    const instrument = element("select");
    instrument.id = "settings-instrument";
    for (const spec of this.instruments.values()) {
      if (spec.kind !== "perpetual" && spec.kind !== "future") continue;
      const option = element("option", null, spec.symbol);
      option.value = String(spec.id);
      instrument.append(option);
    }
    const leverage = element("input");
    leverage.id = "settings-leverage";
    leverage.placeholder = "leverage, e.g. 10";
    const say = element("span", "status");
    say.id = "settings-status";
    const apply = (label, fields) => {
      const b = element("button", "action", label);
      b.addEventListener("click", () => this.change(fields()).then(() => setText(say, `${label}: done`),
        (e) => setText(say, `${label}: ${e.message}`)));
      return b;
    };
    const setLeverage = apply("Set leverage", () => ({ instrument: Number(instrument.value),
      leverage: Number(leverage.value) }));
    setLeverage.id = "set-leverage";
    body.append(instrument, leverage, setLeverage,
      apply("Cross", () => ({ instrument: Number(instrument.value), marginMode: "cross" })),
      apply("Isolated", () => ({ instrument: Number(instrument.value), marginMode: "isolated" })),
      apply("Portfolio margin on", () => ({ marginMode: "portfolio" })),
      apply("Portfolio margin off", () => ({ marginMode: "standard" })), say);
    panel.append(body);
    return panel;
  }

  async change(fields) {
    if (!this.signer) throw new Error("no signer: make a dev key or connect a wallet on the Trade page");
    await this.http.post("/v1/settings", await this.signer.sign("settings", fields));
    await this.refresh();
  }

  async refresh() {
    if (!this.signer) return;
    const token = await this.signer.readToken();
    const address = this.signer.signer.address;
    if (!this.subscribed || !this.feed.isConfirmed("account")) {
      this.subscribed = true;
      let queued = false;
      this.feed.subscribe("account", { op: "subscribe", channel: "account", address, token }, (m) => {
        if (queued || !["fill", "balance", "position", "liquidation", "settlement"].includes(m.type)) return;
        queued = true;
        setTimeout(() => { queued = false; this.refresh(); }, 250);
      });
    }
    const [balances, positions, withdrawals] = await Promise.all([
      this.http.get(`/v1/balances?address=${address}`, token),
      this.http.get(`/v1/positions?address=${address}`, token),
      this.http.get(`/v1/withdrawals?address=${address}&limit=20`, token)]);
    // Read: the account exists (a first deposit opens it), so the line names it again after an earlier refusal.
    setText(this.status, `${address} (${this.signer.signer.kind})`);
    this.drawBalances(balances);
    this.drawPositions(positions);
    this.drawWithdrawals(withdrawals);
    if (withdrawals.some((w) => w.status === "paid")) {
      // Public: the latest committed batch's proof of the address's balances (404: in no statement of it).
      this.http.get(`/v1/proof/${address}`).then((proof) => this.drawProof(proof),
        (e) => setText(this.proofBox, `no inclusion proof: ${e.message}`));
    } else {
      setText(this.proofBox, "");
    }
  }

  drawWithdrawals(withdrawals) {
    this.withdrawalRows.replaceChildren(...withdrawals.map((w) => {
      const cells = { ...w, time: new Date(w.time).toISOString().replace("T", " ").slice(0, 19),
        asset: w.asset ?? String(w.assetId), amount: grouped(String(w.amount)),
        destination: w.destination ? shortHash(w.destination) : "own address", state: withdrawalState(w) };
      const row = element("tr");
      row.dataset.sequence = String(w.sequence);
      row.dataset.status = w.status;
      for (const [key] of WITHDRAWAL_COLUMNS) {
        const cell = element("td", "num", String(cells[key] ?? ""));
        cell.dataset.field = key;
        if (key === "state" && w.txHash) cell.title = w.txHash;
        row.append(cell);
      }
      return row;
    }));
  }

  /** The inclusion proof's figures, no links: the batch, and per asset the committed balance, leaf and root. */
  drawProof(proof) {
    const lines = [element("div", "label", `Inclusion proof: batch ${proof.batchId} (sequence ${proof.lastSequence}),`
      + ` vault ${shortHash(proof.vault)}, chain ${proof.chainId}`)];
    for (const a of proof.assets) {
      const line = element("div", "num", `asset ${a.asset}: committed balance ${a.balance} (minor units), leaf `
        + `${a.leafIndex} of a tree whose root ${shortHash(a.rootHash)} totals ${a.rootTotal}, `
        + `${a.siblingHashes.length} siblings`);
      line.dataset.asset = String(a.asset);
      lines.push(line);
    }
    this.proofBox.replaceChildren(...lines);
  }

  drawBalances(balances) {
    this.balanceRows.replaceChildren(...balances.map((b) => {
      const row = element("tr");
      for (const [key] of BALANCE_COLUMNS) {
        const value = key === "asset" || key === "health" ? String(b[key] ?? "") : grouped(String(b[key] ?? ""));
        row.append(element("td", "num", value));
      }
      return row;
    }));
  }

  drawPositions(positions) {
    this.positionRows.replaceChildren(...positions.map((p) => {
      const spec = this.instruments.get(p.instrument) ?? { symbol: String(p.instrument), tickSize: "1", lotSize: "1" };
      const price = (v) => (v === null || v === undefined ? "none" : grouped(fixed(v, decimalsOf(spec.tickSize))));
      const cells = { ...p, symbol: spec.symbol, size: fixed(p.size, decimalsOf(spec.lotSize)),
        entryPrice: price(p.entryPrice), mark: price(p.mark), liquidationPrice: price(p.liquidationPrice),
        unrealizedPnl: grouped(String(p.unrealizedPnl)), realizedPnl: grouped(String(p.realizedPnl)),
        leverage: p.leverage === null || p.leverage === undefined ? "" : `${p.leverage}x`, adlRank: adlLights(p.adlRank) };
      const row = element("tr", p.side === "long" ? "up" : "down");
      row.dataset.instrument = String(p.instrument);
      for (const [key] of POSITION_COLUMNS) {
        const cell = element("td", "num", String(cells[key] ?? ""));
        cell.dataset.field = key;
        row.append(cell);
      }
      return row;
    }));
  }

  close() {
    this.closed = true;
    if (this.subscribed) this.feed.unsubscribe("account");
  }
}
