// What the order ticket sends: the body of POST /v1/orders for the ticket's values (no browser dependency, so its
// rules are unit-tested under Node). docs/api.md, "Orders", has every field.

export const TYPES = ["limit", "market", "stop_limit", "stop_market", "take_profit_limit", "take_profit_market"];
export const WITH_PRICE = new Set(["limit", "stop_limit", "take_profit_limit"]);
export const WITH_TRIGGER = new Set(["stop_limit", "stop_market", "take_profit_limit", "take_profit_market"]);

/**
 * The JSON body of POST /v1/orders for the ticket's values (before the signer's fields): only what the order kind
 * takes, so a hidden field never travels. Throws with a message for a ticket that cannot be an order.
 */
export function orderBody(symbol, t) {
  if (!TYPES.includes(t.type)) throw new Error(`type: one of ${TYPES.join(", ")}`);
  if (!t.quantity) throw new Error("quantity: required");
  const body = { instrument: symbol, side: t.side, type: t.type, quantity: t.quantity };
  if (WITH_PRICE.has(t.type)) {
    if (!t.price) throw new Error("price: required for a limit order");
    body.price = t.price;
  }
  if (WITH_TRIGGER.has(t.type)) {
    if (!t.triggerPrice) throw new Error("triggerPrice: required for a stop or take-profit order");
    body.triggerPrice = t.triggerPrice;
    body.triggerSource = t.triggerSource || "last";
  }
  if (t.type !== "market" && t.type !== "stop_market" && t.type !== "take_profit_market") {
    body.timeInForce = t.timeInForce || "gtc";
    if (body.timeInForce === "gtd") {
      if (!t.expireTime) throw new Error("expireTime: required for GTD");
      body.expireTime = t.expireTime;
    }
    if (t.postOnly) body.postOnly = true;
    if (t.displayQuantity) body.displayQuantity = t.displayQuantity;
  }
  if (t.reduceOnly) body.reduceOnly = true;
  if (t.selfTradePrevention && t.selfTradePrevention !== "none") body.selfTradePrevention = t.selfTradePrevention;
  body.clientOrderId = t.clientOrderId;
  return body;
}

/** The order kinds with a trigger an amend may move (a plain order's trigger is refused by the engine: 2026). */
export const isConditional = (type) => WITH_TRIGGER.has(type);

/**
 * What an amend of `order` (an open order as GET /v1/orders lists it) to the control's values signs and sends: the
 * body of `POST /v1/typed-data/amend` and of `PUT /v1/orders/{orderId}` before the signer's fields
 * (`{instrument, orderId, price?, quantity?, triggerPrice?}`). Only what changed travels (an omitted field keeps its
 * value), so an unchanged field is never re-signed; a trigger only for a conditional order. Throws with a message for
 * an amend that changes nothing or takes a field its order has not. Whether the values are valid (tick, lot, band)
 * is the node's to say.
 */
export function amendBody(instrument, order, values) {
  const body = { instrument, orderId: order.orderId };
  const changed = (v, was) => v !== undefined && v !== null && String(v).trim() !== ""
    && (was === null || was === undefined || Number(v) !== Number(was));
  if (changed(values.price, order.price)) {
    if (order.price === null || order.price === undefined) throw new Error("price: a market order has none to amend");
    body.price = String(values.price).trim();
  }
  if (changed(values.quantity, order.quantity)) body.quantity = String(values.quantity).trim();
  if (changed(values.triggerPrice, order.triggerPrice)) {
    if (!isConditional(order.type)) throw new Error("triggerPrice: only a stop or take-profit order has a trigger");
    body.triggerPrice = String(values.triggerPrice).trim();
  }
  if (Object.keys(body).length === 2) throw new Error("amend: give a new price, quantity or trigger price");
  return body;
}

/**
 * The order ticket's values for a quote of the options chain (a series as GET /v1/options lists it): a limit order
 * that sells at the bid or buys at the ask, at that price, for the series' symbol. Null when that side has no quote.
 */
export function ticketFromQuote(series, which) {
  const price = which === "bid" ? series.bestBid : which === "ask" ? series.bestAsk : undefined;
  if (price === null || price === undefined || price === "") return null;
  return { symbol: series.symbol, side: which === "bid" ? "sell" : "buy", type: "limit", price: String(price) };
}
