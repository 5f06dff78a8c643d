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
