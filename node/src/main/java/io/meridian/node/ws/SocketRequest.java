package io.meridian.node.ws;

import java.math.BigDecimal;

/**
 * A WebSocket message: {@code op} is subscribe, unsubscribe, login, order or cancel; {@code id} (optional) comes back
 * on the answer. Subscribe takes {@code channel} (book, the default, or account), {@code instrument} and {@code depth}
 * or {@code account}; order takes the REST order's fields; cancel takes {@code account} (or a signed address),
 * {@code instrument} and {@code orderId}; login takes {@code validUntil} and the signature fields.
 */
public record SocketRequest(String op, Long id, String channel, Integer instrument, Integer depth, Long account,
                            String side, String type, BigDecimal price, BigDecimal quantity, String timeInForce,
                            Long clientOrderId, Boolean postOnly, Boolean reduceOnly, Long orderId, String address,
                            Long nonce, String signature, String agentKey, Long validUntil, String token) {
}
