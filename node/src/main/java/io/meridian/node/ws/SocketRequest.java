package io.meridian.node.ws;

import io.meridian.node.codec.ClientOrderId;

import java.math.BigDecimal;

/**
 * A WebSocket message: {@code op} is subscribe, unsubscribe, login, order or cancel; {@code id} (optional) comes back
 * on the answer. Subscribe takes {@code channel} (book, the default, trades, ticker, funding, liquidations or account),
 * {@code instrument} and, for the book, {@code depth}, or for the account {@code account} or {@code address} and
 * {@code token}; order takes the REST order's fields (the same ones, read by the same function: {@code Orders.unsigned}),
 * the instrument by id; cancel takes {@code account} (or a signed address), {@code instrument} and {@code orderId} or
 * {@code clientOrderId}; login takes {@code validUntil} and the signature fields. Which request takes which field is
 * {@link SocketFields}'s. {@code clientOrderId} is a number or a text ({@link ClientOrderId}); {@code postOnly}
 * {@code true}, {@code false} or a mode name, as on REST.
 */
public record SocketRequest(String op, Long id, String channel, Integer instrument, Integer depth, Long account,
                            String side, String type, BigDecimal price, BigDecimal quantity, String timeInForce,
                            ClientOrderId clientOrderId, Object postOnly, Boolean reduceOnly, Long orderId,
                            String address, Long nonce, String signature, String agentKey, Long validUntil,
                            String token, BigDecimal triggerPrice, String triggerSource, BigDecimal displayQuantity,
                            Long expireTime, String selfTradePrevention) {
}
