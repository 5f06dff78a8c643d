// The Trade page: an order ticket for every order type and flag the API takes (limit, market, stop and take-profit
// kinds with their trigger, post-only, reduce-only, IOC/FOK/GTD, iceberg, self-trade prevention), signed by the owner
// (an injected wallet, or a dev key kept in this browser on a development venue) over exactly what the node says to
// sign; the account's open orders with cancel and amend, and its fills, kept fresh from the account stream (with a read
// token). Another page (the options chain) opens this one with the ticket filled through openTicket().
import { decimalsOf, fixed, grouped, clock } from "./format.js";
import { AgentKeySigner, DevKeySigner, InjectedWalletSigner, RequestSigner } from "./keys.js";
import { amendBody, isConditional, orderBody, TYPES, WITH_PRICE, WITH_TRIGGER } from "./orders.js";
import { element, setText } from "./render.js";

/** The ticket values another page asked for (openTicket), taken by the next Trade page of that instrument. */
let pendingTicket = null;

/**
 * Opens the Trade page of `ticket.symbol` with its ticket filled from `ticket` (`side`, `type`, `price`, ...): the
 * order is then checked, signed and placed there like any other. Nothing is sent until the user places it.
 */
export function openTicket(ticket, go = (hash) => { location.hash = hash; }) {
  pendingTicket = ticket;
  go(`#/trade/${ticket.symbol}`); // as the picker names it
}

export class TradePage {
  constructor(root, http, feed, spec) {
    this.http = http; // { get(path, token), post(path, body), del(path) }
    this.feed = feed;
    this.spec = spec;
    this.priceDecimals = decimalsOf(spec.tickSize);
    this.sizeDecimals = decimalsOf(spec.lotSize);
    this.signer = null;
    this.build(root);
    if (pendingTicket && pendingTicket.symbol === spec.symbol) this.fill(pendingTicket);
    pendingTicket = null;
    // An approved agent key first (no wallet prompt per order), else this browser's dev key.
    AgentKeySigner.load().catch(() => null).then((agent) => this.useSigner(agent ?? DevKeySigner.load()));
  }

  build(root) {
    root.replaceChildren();
    const page = element("div", "trade");
    root.append(page);

    const keys = element("section", "panel keys-panel");
    keys.append(element("div", "panel-bar", "Account"));
    this.who = element("div", "who", "No signer: connect a wallet, or make a dev key on a development venue.");
    this.who.id = "who";
    keys.append(this.who);
    const buttons = element("div", "buttons");
    const button = (id, label, action) => {
      const b = element("button", "action", label);
      b.id = id;
      b.addEventListener("click", () => action().catch((e) => this.say(e.message, true)));
      buttons.append(b);
      return b;
    };
    if (InjectedWalletSigner.available()) {
      button("connect-wallet", "Connect wallet", async () => this.useSigner(await InjectedWalletSigner.connect()));
    }
    button("dev-key", "New dev key", async () => this.useSigner(DevKeySigner.create()));
    button("dev-deposit", "Dev deposit 100,000", async () => {
      await this.http.post("/v1/dev/deposit", { address: this.requireSigner().address, asset: 0, amount: "100000" });
      this.say("deposited 100,000 of asset 0 (development venues only)");
    });
    button("approve-agent", "Approve an agent key", async () => {
      const owner = this.requireSigner();
      if (owner.agentKey) throw new Error("already signing with an agent key");
      this.useSigner(await AgentKeySigner.approve(this.signer, (path, body) => this.http.post(path, body)));
      this.say("agent key approved for a week: orders no longer ask the wallet");
    });
    button("revoke-agent", "Revoke the agent key", async () => this.revokeAgent());
    button("forget-key", "Forget keys", async () => {
      DevKeySigner.forget();
      AgentKeySigner.forget();
      this.useSigner(null);
    });
    keys.append(buttons);
    this.balances = element("div", "balances num");
    this.balances.id = "balances";
    keys.append(this.balances);
    page.append(keys);

    const ticket = element("section", "panel ticket-panel");
    ticket.append(element("div", "panel-bar", `Order ticket · ${this.spec.symbol}`));
    const form = element("form", "ticket");
    form.id = "ticket";
    const field = (name, label, input) => {
      const row = element("label", "field");
      row.append(element("span", "label", label), input);
      input.name = name;
      form.append(row);
      return input;
    };
    const select = (options) => {
      const s = element("select");
      for (const o of options) {
        const option = element("option", null, o);
        option.value = o;
        s.append(option);
      }
      return s;
    };
    const text = (placeholder) => {
      const i = element("input");
      i.placeholder = placeholder;
      i.autocomplete = "off";
      return i;
    };
    const check = () => {
      const i = element("input");
      i.type = "checkbox";
      return i;
    };
    this.inputs = {
      side: field("side", "Side", select(["buy", "sell"])),
      type: field("type", "Type", select(TYPES)),
      price: field("price", "Price", text(`tick ${this.spec.tickSize}`)),
      triggerPrice: field("triggerPrice", "Trigger", text("stop / take-profit")),
      triggerSource: field("triggerSource", "Trigger on", select(["last", "mark"])),
      quantity: field("quantity", "Quantity", text(`lot ${this.spec.lotSize}`)),
      timeInForce: field("timeInForce", "Time in force", select(["gtc", "ioc", "fok", "gtd"])),
      expireTime: field("expireTime", "GTD until (min)", text("minutes from now")),
      displayQuantity: field("displayQuantity", "Iceberg shows", text("visible quantity")),
      selfTradePrevention: field("selfTradePrevention", "Self-trade",
        select(["none", "expire_maker", "expire_taker", "expire_both", "decrement"])),
      postOnly: field("postOnly", "Post-only", check()),
      reduceOnly: field("reduceOnly", "Reduce-only", check()),
    };
    const submit = element("button", "submit", "Sign and place");
    submit.type = "submit";
    submit.id = "place";
    form.append(submit);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.place().catch((error) => this.say(error.message, true));
    });
    this.inputs.type.addEventListener("change", () => this.showFields());
    this.inputs.timeInForce.addEventListener("change", () => this.showFields());
    this.showFields();
    ticket.append(form);
    this.status = element("div", "status");
    this.status.id = "status";
    ticket.append(this.status);
    page.append(ticket);

    const orders = element("section", "panel orders-panel");
    orders.append(element("div", "panel-bar", "Open orders"));
    this.orderRows = element("div", "rows");
    this.orderRows.id = "open-orders";
    orders.append(this.orderRows);
    orders.append(this.buildAmend());
    page.append(orders);

    const fills = element("section", "panel fills-panel");
    fills.append(element("div", "panel-bar", "Fills"));
    this.fillRows = element("div", "rows");
    this.fillRows.id = "fills";
    fills.append(this.fillRows);
    page.append(fills);
  }

  /**
   * The amend control: one form under the open orders (not in a row, so a refresh of the list from the stream does not
   * wipe what is being typed), opened by a row's Amend button with that order's price, quantity and trigger.
   */
  buildAmend() {
    const form = element("form", "amend");
    form.id = "amend";
    form.hidden = true;
    this.amendTitle = element("span", "label", "");
    const input = (name, label) => {
      const i = element("input");
      i.name = name;
      i.autocomplete = "off";
      i.maxLength = 40; // a decimal the node takes is far shorter; the node bounds and refuses what does not parse
      i.placeholder = label;
      i.title = label;
      return i;
    };
    this.amendInputs = { price: input("amendPrice", "new price"), quantity: input("amendQuantity", "new quantity"),
      triggerPrice: input("amendTrigger", "new trigger") };
    const send = element("button", "submit", "Sign amend");
    send.type = "submit";
    send.id = "send-amend";
    const close = element("button", "cancel", "Close");
    close.type = "button";
    close.addEventListener("click", () => { form.hidden = true; this.amending = null; });
    form.append(this.amendTitle, this.amendInputs.price, this.amendInputs.quantity, this.amendInputs.triggerPrice, send,
      close);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.amend().catch((error) => this.say(`amend refused: ${error.message}`, true));
    });
    this.amendForm = form;
    return form;
  }

  /** Opens the amend control on `order` (an open order as GET /v1/orders lists it). */
  openAmend(order) {
    this.amending = order;
    setText(this.amendTitle, `Amend ${order.side} ${order.type} ${order.orderId}`);
    this.amendInputs.price.value = order.price ?? "";
    this.amendInputs.price.disabled = order.price === null || order.price === undefined;
    this.amendInputs.quantity.value = order.quantity ?? "";
    this.amendInputs.triggerPrice.value = order.triggerPrice ?? "";
    this.amendInputs.triggerPrice.hidden = !isConditional(order.type);
    this.amendForm.hidden = false;
  }

  /**
   * Signs and sends the amend: what POST /v1/typed-data/amend says to sign (Amend, or AmendTrigger with a trigger),
   * by the page's signer, then PUT /v1/orders/{orderId}; a refusal shows the engine's code, reason and message.
   */
  async amend() {
    const order = this.amending;
    if (!order) throw new Error("no order chosen");
    this.requireSigner();
    const values = Object.fromEntries(Object.entries(this.amendInputs).map(([k, i]) => [k, i.hidden || i.disabled
      ? undefined : i.value]));
    const body = amendBody(this.spec.id, order, values);
    const { orderId, ...signed } = await this.signer.sign("amend", body);
    const answer = await this.http.put(`/v1/orders/${orderId}`, signed);
    this.say(`amended order ${orderId}: ${["price", "quantity", "triggerPrice"].filter((k) => k in body)
      .map((k) => `${k} ${body[k]}`).join(", ")} (${answer.status ?? "accepted"})`);
    this.amendForm.hidden = true;
    this.amending = null;
    await this.refresh();
  }

  /** The ticket's fields from `ticket` (another page's prefill): only the fields the ticket has, others untouched. */
  fill(ticket) {
    for (const [name, value] of Object.entries(ticket)) {
      const input = this.inputs[name];
      if (!input || value === undefined || value === null) continue;
      if (input.type === "checkbox") input.checked = !!value;
      else input.value = String(value);
    }
    this.showFields();
    this.say(`ticket filled from ${ticket.from ?? "another page"}: ${ticket.side} at ${ticket.price}; check it, then sign`
      + " and place");
  }

  /**
   * Revokes the agent key this page signs with: a RevokeAgent signed by its owner (the dev key, or the wallet, that
   * approved it: an agent cannot revoke itself) over what POST /v1/typed-data/revoke-agent says to sign, sent to
   * POST /v1/agents/revoke; then this browser forgets the key and the owner signs again.
   */
  async revokeAgent() {
    const agent = this.requireSigner();
    if (!agent.agentKey) throw new Error("no agent key in use: nothing to revoke");
    let owner = DevKeySigner.load();
    if ((!owner || owner.address.toLowerCase() !== agent.address.toLowerCase()) && InjectedWalletSigner.available()) {
      owner = await InjectedWalletSigner.connect();
    }
    if (!owner || owner.address.toLowerCase() !== agent.address.toLowerCase()) {
      throw new Error(`only the owner ${agent.address} can revoke its agent: connect that wallet (or keep its dev key)`);
    }
    const ownerSigner = new RequestSigner(owner, (path, body) => this.http.post(path, body));
    await this.http.post("/v1/agents/revoke", await ownerSigner.sign("revoke-agent", { agentKey: agent.agentKey }));
    AgentKeySigner.forget();
    this.useSigner(owner);
    this.say(`agent key ${agent.agentKey.slice(0, 10)}... revoked: the node refuses it from now on`);
  }

  /** Only the fields the chosen order kind takes are shown. */
  showFields() {
    const type = this.inputs.type.value;
    const show = (name, on) => { this.inputs[name].closest("label").hidden = !on; };
    show("price", WITH_PRICE.has(type));
    show("triggerPrice", WITH_TRIGGER.has(type));
    show("triggerSource", WITH_TRIGGER.has(type));
    const resting = !type.endsWith("market");
    for (const name of ["timeInForce", "postOnly", "displayQuantity"]) show(name, resting);
    show("expireTime", resting && this.inputs.timeInForce.value === "gtd");
  }

  requireSigner() {
    if (!this.signer) throw new Error("no signer: connect a wallet or make a dev key first");
    return this.signer.signer;
  }

  useSigner(signer) {
    if (this.feed && this.accountKey) this.feed.unsubscribe(this.accountKey);
    this.accountKey = null;
    this.signer = signer ? new RequestSigner(signer, (path, body) => this.http.post(path, body)) : null;
    const note = { "dev key": ": kept in this browser, for test money only",
      "agent key": ` ${signer?.agentKey?.slice(0, 10)}...: trades for the owner, cannot withdraw` };
    setText(this.who, signer ? `${signer.address} (${signer.kind}${note[signer.kind] ?? ""})`
      : "No signer: connect a wallet, or make a dev key.");
    this.who.dataset.address = signer ? signer.address : "";
    this.refresh();
  }

  say(message, error = false) {
    setText(this.status, message);
    this.status.className = error ? "status down" : "status up";
  }

  async place() {
    const v = Object.fromEntries(Object.entries(this.inputs).map(([k, i]) => [k, i.type === "checkbox" ? i.checked
      : i.value.trim()]));
    if (v.expireTime) v.expireTime = Date.now() + Number(v.expireTime) * 60_000;
    v.clientOrderId = `t-${Date.now().toString(36)}`;
    const body = orderBody(this.spec.symbol, v);
    this.requireSigner();
    const answer = await this.http.post("/v1/orders", await this.signer.sign("order", body));
    this.say(`${answer.status}: order ${answer.orderId} (${body.clientOrderId}), filled ${answer.filledQuantity},`
      + ` resting ${answer.restingQuantity}`);
    await this.refresh();
  }

  async cancel(order) {
    const signed = await this.signer.sign("cancel", { instrument: this.spec.id, orderId: order.orderId });
    await this.http.del(`/v1/orders/${order.orderId}?instrument=${this.spec.id}&address=${signed.address}`
      + `&nonce=${signed.nonce}&signature=${signed.signature}`);
    this.say(`canceled order ${order.orderId}`);
    await this.refresh();
  }

  /** Reads the account's open orders, fills and balances again (after an action, or a stream message). */
  async refresh() {
    if (!this.signer) {
      this.orderRows.replaceChildren();
      this.fillRows.replaceChildren();
      setText(this.balances, "");
      return;
    }
    const token = await this.signer.readToken();
    const address = this.signer.signer.address;
    if (!this.accountKey || !this.feed.isConfirmed(this.accountKey)) this.subscribe(address, token);
    const [orders, fills, balances] = await Promise.all([
      this.http.get(`/v1/orders?address=${address}&instrument=${this.spec.id}`, token).catch(() => []),
      this.http.get(`/v1/fills?address=${address}&instrument=${this.spec.id}&limit=20`, token).catch(() => []),
      this.http.get(`/v1/balances?address=${address}`, token).catch(() => [])]);
    this.drawOrders(orders);
    this.drawFills(fills);
    setText(this.balances, balances.map((b) => `${b.asset} ${grouped(b.equity)} equity, ${b.availableToWithdraw}`
      + " available").join(" · "));
  }

  /** The account stream: any order, fill or balance message of this account refreshes the lists (once a burst). */
  subscribe(address, token) {
    this.accountKey = "account";
    let queued = false;
    this.feed.subscribe(this.accountKey, { op: "subscribe", channel: "account", address, token }, (m) => {
      if (queued || !["order", "fill", "balance", "position"].includes(m.type)) return;
      queued = true;
      setTimeout(() => { queued = false; this.refresh(); }, 200);
    });
  }

  drawOrders(orders) {
    const p = (v) => grouped(fixed(v, this.priceDecimals));
    this.orderRows.replaceChildren(...orders.map((o) => {
      const row = element("div", `row ${o.side === "buy" ? "up" : "down"}`);
      row.dataset.orderId = String(o.orderId);
      row.append(element("span", "num", o.side), element("span", "num", o.type),
        element("span", "num price", o.price === null ? "market" : p(o.price)),
        element("span", "num", fixed(o.remaining, this.sizeDecimals)),
        element("span", "num", o.triggerPrice ? `@ ${p(o.triggerPrice)}` : ""),
        element("span", "num", String(o.clientOrderId ?? "")));
      const amend = element("button", "action amend-open", "Amend");
      amend.addEventListener("click", () => this.openAmend(o));
      const cancel = element("button", "cancel", "Cancel");
      cancel.addEventListener("click", () => this.cancel(o).catch((e) => this.say(e.message, true)));
      row.append(amend, cancel);
      return row;
    }));
  }

  drawFills(fills) {
    this.fillRows.replaceChildren(...fills.map((f) => {
      const row = element("div", `row ${f.side === "buy" ? "up" : "down"}`);
      row.append(element("span", "num", f.side), element("span", "num price", grouped(fixed(f.price,
        this.priceDecimals))), element("span", "num", fixed(f.quantity, this.sizeDecimals)),
        element("span", "num", f.liquidity ?? f.via ?? ""), element("span", "num time", clock(f.time)));
      return row;
    }));
  }

  close() {
    if (this.accountKey) this.feed.unsubscribe(this.accountKey);
  }
}
