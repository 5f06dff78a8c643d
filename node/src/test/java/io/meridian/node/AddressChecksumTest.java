package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.Address;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.WebSocket;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EIP-55 at the edge, everywhere an address comes in: mixed case must match the checksum (a mixed-case address that
 * does not is almost always a typo, and money sent to it is lost), while all lower case and all upper case carry no
 * checksum and are accepted as the same address. {@code io.meridian.auth.Address#parse} enforced this already; this
 * test pins it for every route and the WebSocket.
 */
class AddressChecksumTest extends NodeHttpTest {
    /** EIP-55's own example. */
    private static final String CHECKSUMMED = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    /** The same with one letter's case flipped: mixed case that fails the checksum. */
    private static final String TYPO = "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    private static final String LOWER = CHECKSUMMED.toLowerCase(Locale.ROOT);
    private static final String UPPER = "0x" + CHECKSUMMED.substring(2).toUpperCase(Locale.ROOT);

    @Test
    void mixedCaseMustMatchItsChecksumWhereverAnAddressIsTaken() throws Exception {
        assertEquals(CHECKSUMMED, Address.parseOrThrow(LOWER).toChecksumHex());
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            String checksum = "address checksum (EIP-55 mixed case) does not match";
            assertError(post("/v1/dev/deposit", "{\"address\":\"" + TYPO + "\",\"asset\":0,\"amount\":\"1\"}"), 400,
                    checksum);
            // Unchecksummed forms are the same address: one account.
            postOk("/v1/dev/deposit", "{\"address\":\"" + LOWER + "\",\"asset\":0,\"amount\":\"1\"}");
            postOk("/v1/dev/deposit", "{\"address\":\"" + UPPER + "\",\"asset\":0,\"amount\":\"1\"}");
            postOk("/v1/dev/deposit", "{\"address\":\"" + CHECKSUMMED + "\",\"asset\":0,\"amount\":\"1\"}");
            JsonNode account = ok("/v1/accounts/" + CHECKSUMMED);
            assertEquals("3.000000", account.path("margin").get(0).path("balance").asText(), account.toString());
            for (String form : new String[] {LOWER, UPPER}) {
                assertEquals(account.path("account").asLong(), ok("/v1/accounts/" + form).path("account").asLong());
                assertEquals(200, get("/v1/balances?address=" + form).statusCode());
            }
            assertError(get("/v1/accounts/" + TYPO), 400, checksum);
            assertError(get("/v1/balances?address=" + TYPO), 400, checksum);
            assertError(get("/v1/orders?address=" + TYPO), 400, checksum);
            assertError(post("/v1/orders", "{\"address\":\"" + TYPO + "\",\"nonce\":1,\"signature\":\"0x"
                    + "11".repeat(65) + "\",\"instrument\":1,\"side\":\"buy\",\"price\":\"1\",\"quantity\":\"0.001\"}"),
                    400, checksum);
            assertError(post("/v1/withdrawals", "{\"account\":2,\"asset\":0,\"amount\":\"1\",\"destination\":\"" + TYPO
                    + "\"}"), 400, "destination: " + checksum);
            assertError(delete("/v1/orders/1?address=" + TYPO + "&nonce=1&signature=0x" + "11".repeat(65)
                    + "&instrument=1"), 400, checksum);

            TextFrames frames = new TextFrames();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + node.httpPort()
                    + "/ws"), frames).get(10, TimeUnit.SECONDS);
            socket.sendText("{\"op\":\"login\",\"id\":1,\"validUntil\":1,\"address\":\"" + TYPO + "\",\"nonce\":1,"
                    + "\"signature\":\"0x" + "11".repeat(65) + "\"}", true).get(5, TimeUnit.SECONDS);
            JsonNode error = JSON.readTree(frames.frames.poll(10, TimeUnit.SECONDS));
            assertEquals("error", error.path("type").asText(), error.toString());
            assertTrue(error.path("message").asText().contains(checksum), error.toString());
            socket.abort();
        }
    }
}
