package io.meridian.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.journal.JournalVerifier;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Options through the client on the built-in venue in auth mode signed: the dev oracle prices the index, a surface
 * marks the chain, a signed account opts into portfolio margin and trades a call spread, and its greeks and margin in
 * both regimes come back; the journal's signatures all verify.
 */
class OptionsClientTest {
    @TempDir
    Path temp;

    @Test
    void aSignedCallSpreadInPortfolioMarginNeedsLessThanStandardMargin() throws Exception {
        NodeConfig d = NodeConfig.defaults();
        NodeConfig config = new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "group_commit", 0, 65_536,
                true, d.assets(), d.operatorMarkedInstruments(), 1_000, 50_000, NodeConfig.Auth.signed(), false, d.markets());
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(20261125L);
        Secp256k1PrivateKey makerKey = Secp256k1PrivateKey.random(random);
        Secp256k1PrivateKey hedgerKey = Secp256k1PrivateKey.random(random);
        try (Node node = Node.start(config)) {
            MeridianClient anonymous = new MeridianClient("http://127.0.0.1:" + node.httpPort());
            Eip712Domain domain = anonymous.domain();
            int index = NodeConfig.DEFAULT_BTC_INDEX;
            for (int source = 0; source < 3; source++) {
                anonymous.devOracle(index, source, "50000");
            }
            TreeSet<Long> expiries = new TreeSet<>();
            int call50 = 0;
            int call55 = 0;
            for (JsonNode in : anonymous.instruments()) {
                if (in.path("kind").asText().equals("option")) {
                    expiries.add(in.get("expiryNanos").asLong());
                    if (call50 == 0 && in.get("strike").asText().equals("50000") && in.get("right").asText().equals("call")) {
                        call50 = in.get("id").asInt();
                    } else if (call55 == 0 && in.get("strike").asText().equals("55000")
                            && in.get("right").asText().equals("call")) {
                        call55 = in.get("id").asInt();
                    }
                }
            }
            assertEquals(3, expiries.size());
            List<MeridianClient.VolQuote> quotes = new ArrayList<>();
            for (long expiry : expiries) {
                double[] vols = {0.75, 0.68, 0.62, 0.60, 0.61, 0.64, 0.69};
                for (int i = 0; i < vols.length; i++) {
                    quotes.add(new MeridianClient.VolQuote(expiry, String.valueOf(35_000 + 5_000 * i), vols[i]));
                }
            }
            JsonNode surface = anonymous.devSurface(index, quotes);
            assertEquals(30, surface.get("marks").size(), surface.toString());
            surface.get("marks").forEach(m -> assertTrue(!m.has("code"), "every mark applied: " + m));

            anonymous.devDeposit(makerKey.address(), 0, "1000000");
            anonymous.devDeposit(hedgerKey.address(), 0, "100000");
            MeridianClient maker = anonymous.signedBy(Signer.owner(makerKey, domain));
            MeridianClient hedger = anonymous.signedBy(Signer.owner(hedgerKey, domain));
            assertEquals("accepted", hedger.setAccountMarginMode(0, "portfolio").get("status").asText());
            assertThrows(IllegalArgumentException.class, () -> hedger.setAccountMarginMode(0, "isolated"));
            BigDecimal mark50 = new BigDecimal(anonymous.ticker(call50).get("mark").asText());
            BigDecimal mark55 = new BigDecimal(anonymous.ticker(call55).get("mark").asText());
            String bid50 = mark50.subtract(new BigDecimal("20")).setScale(0, java.math.RoundingMode.DOWN).toPlainString();
            String ask55 = mark55.add(new BigDecimal("20")).setScale(0, java.math.RoundingMode.DOWN).toPlainString();
            maker.place(MeridianClient.Order.limit(0, call50, "buy", bid50, "0.2"));
            maker.place(MeridianClient.Order.limit(0, call55, "sell", ask55, "0.2"));
            // The spread: short the 50,000 call, long the 55,000 call; the loss is capped at the strikes' distance.
            assertEquals("0.2", hedger.place(MeridianClient.Order.limit(0, call50, "sell", bid50, "0.2")
                    .withTimeInForce("ioc")).get("filledQuantity").asText());
            assertEquals("0.2", hedger.place(MeridianClient.Order.limit(0, call55, "buy", ask55, "0.2")
                    .withTimeInForce("ioc")).get("filledQuantity").asText());

            JsonNode greeks = hedger.greeks(0);
            assertEquals(2, greeks.get("positions").size(), greeks.toString());
            double delta = greeks.get("net").get(0).get("delta").asDouble();
            assertTrue(delta < 0 && delta > -0.2, "short the lower call: a small negative delta: " + greeks);
            JsonNode margin = greeks.get("margin").get(0);
            assertEquals("portfolio", margin.get("mode").asText(), greeks.toString());
            BigDecimal portfolio = new BigDecimal(margin.get("portfolioInitialMargin").asText());
            BigDecimal standard = new BigDecimal(margin.get("standardInitialMargin").asText());
            assertEquals(portfolio, new BigDecimal(margin.get("initialMargin").asText()));
            assertTrue(portfolio.signum() > 0 && portfolio.compareTo(standard) < 0,
                    "the spread's bounded loss needs less than its short leg alone: " + margin);
            assertTrue(portfolio.compareTo(new BigDecimal("1000")) <= 0, "at most the strikes' distance, 0.2 x 5,000: "
                    + margin);
        }
        StringBuilder summary = new StringBuilder();
        JournalVerifier.Result verified = JournalVerifier.verify(temp.resolve("data"), MeridianTypes.devDomain(),
                new JournalVerifier.Listener() {
                    @Override
                    public void signatures(String text) {
                        summary.append(text);
                    }
                });
        String report = summary.toString();
        assertTrue(verified.ok(), verified.failure() + "\n" + report);
        assertTrue(report.contains("0 made by account id"), report);
    }
}
