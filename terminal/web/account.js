// The Account page: the signer's account (the Trade page's signer: a wallet or this browser's dev key) per asset
// (balance, equity, initial and maintenance margin, available to withdraw, health) and its open positions (side, size,
// entry, mark, unrealised and realised PnL, liquidation price, margin mode and leverage), read with a read token and
// refreshed from the account stream. Numbers are the API's, in each instrument's and asset's decimals. Each position
// shows its auto-deleveraging light (adlRank); the withdraw form lists the account's withdrawals with their settlement
// (GET /v1/withdrawals: no chain, waiting for a batch, in batch N, root posted, paid with the transaction) and, once one
// is paid, the inclusion proof of the account's balances in the latest committed batch (GET /v1/proof/{address}).
import { decimalsOf, fixed, grouped } from "./format.js";
import { AgentKeySigner, DevKeySigner, RequestSigner } from "./keys.js";
import { adlLights, shortHash, withdrawalState } from "./ledger.js";
import { element, setText } from "./render.js";

const BALANCE_COLUMNS = [["asset", "Asset"], ["balance", "Balance"], ["equity", "Equity"],
  ["initialMargin", "Initial margin"], ["maintenanceMargin", "Maintenance"], ["availableToWithdraw", "Available"],
  ["health", "Health"]];
const POSITION_COLUMNS = [["symbol", "Instrument"], ["side", "Side"], ["size", "Size"], ["entryPrice", "Entry"],
  ["mark", "Mark"], ["unrealizedPnl", "Unrealised PnL"], ["realizedPnl", "Realised PnL"],
  ["liquidationPrice", "Liquidation price"], ["marginMode", "Margin"], ["leverage", "Leverage"], ["adlRank", "ADL"]];
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
    page.append(this.withdrawPanel());
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
    if (this.subscribed) this.feed.unsubscribe("account");
  }
}
