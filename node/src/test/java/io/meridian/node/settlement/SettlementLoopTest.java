package io.meridian.node.settlement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.auth.Address;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.engine.SettlementStatement;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.node.ChainSettings;
import io.meridian.node.EngineLoop;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
import io.meridian.settlement.Chain;
import io.meridian.settlement.LocalChain;
import io.meridian.settlement.MerkleSumTree;
import io.meridian.settlement.VaultContracts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node's settlement loop end to end on a real ganache and a real node: deposits on chain are credited once after
 * K blocks, users trade, a signed withdrawal is committed in a batch and paid on chain; the node is stopped after the
 * payment but before it recorded it, and its restart pays nothing again; every account's proof from
 * {@code GET /v1/proof/{address}} verifies on chain and sums to the committed liability, which the vault covers; then
 * the operator stops, a forced withdrawal times out, the vault freezes and every user escapes: the sum escaped is the
 * committed liability.
 */
class SettlementLoopTest extends LocalChainTest {
    private static final long USD = 1_000_000;
    private static final int K = 3;
    private static final int ETH_PERP = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private long nonce = System.currentTimeMillis();

    private Command signed(Command c, Secp256k1PrivateKey key) {
        c.nonce = ++nonce;
        return SignedCommands.signAsOwner(c, MeridianTypes.devDomain(), key);
    }

    private static EngineLoop.Result submit(Node node, Command c) throws Exception {
        java.util.concurrent.CompletableFuture<EngineLoop.Result> answer = new java.util.concurrent.CompletableFuture<>();
        assertTrue(node.engine().submit(c, answer::complete));
        return answer.get(10, TimeUnit.SECONDS);
    }

    private static long statementBalance(Node node, Address address) throws Exception {
        List<SettlementStatement.Entry> entries = node.engine().query(e -> e.view().settlementStatement(0))
                .get(10, TimeUnit.SECONDS);
        return entries.stream().filter(e -> e.address().equals(address)).mapToLong(SettlementStatement.Entry::balance)
                .findFirst().orElse(-1);
    }

    private static JsonNode get(Node node, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("httpStatus", response.statusCode());
        return body;
    }

    /** A GET answering a JSON array (200). */
    private static JsonNode list(Node node, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + " -> " + response.body());
        return JSON.readTree(response.body());
    }

    private static MerkleSumTree.Proof proofOf(JsonNode asset) {
        List<byte[]> hashes = new ArrayList<>();
        asset.get("siblingHashes").forEach(h -> hashes.add(Numeric.hexStringToByteArray(h.asText())));
        List<BigInteger> totals = new ArrayList<>();
        asset.get("siblingTotals").forEach(t -> totals.add(new BigInteger(t.asText())));
        return new MerkleSumTree.Proof(asset.get("leafIndex").asLong(), hashes, totals);
    }

    @Test
    void depositTradeWithdrawRestartProveAndEscape() throws Exception {
        Chain.Sender operator = chain.sender(LocalChain.keyBytes(0));
        VaultContracts venue = VaultContracts.deployDev(chain, operator, operator.address(),
                List.of(operator.address()), 1, 0, 600);
        long from = chain.blockNumber();
        Secp256k1PrivateKey aliceKey = LocalChain.key(4);
        Secp256k1PrivateKey bobKey = LocalChain.key(5);
        Address carol = LocalChain.key(9).address();
        List<Chain.Sender> users = List.of(chain.sender(LocalChain.keyBytes(4)), chain.sender(LocalChain.keyBytes(5)));
        for (Chain.Sender user : users) {
            venue.mint(user, user.address(), 10_000 * USD);
            venue.approve(user, venue.vault(), 10_000 * USD);
            venue.deposit(user, venue.token(), 10_000 * USD, user.address());
        }
        NodeConfig config = settlingConfig(dir, venue, K, from, new ChainSettings.Batch(300L, 1));

        long paidInBatch;
        Node node = Node.start(config);
        try {
            // The watcher reads a deposit only once K blocks hold it (DepositWatcherTest checks the boundary).
            chain.mine(K);
            await("both deposits credited", () -> node.settlement().depositsCredited() == 2);
            assertEquals(2L, node.settlement().status().get("lastCreditedDepositId"));
            assertEquals(10_000 * USD, statementBalance(node, aliceKey.address()));

            // Bob sells 1 ETH at 3,000 to Alice; then Alice withdraws 2,500 to Carol.
            assertTrue(submit(node, signed(new Command().limit(0, ETH_PERP, 1, Side.SELL, 300_000, 100,
                    TimeInForce.GTC), bobKey)).reject() == null);
            assertTrue(submit(node, signed(new Command().limit(0, ETH_PERP, 2, Side.BUY, 300_000, 100,
                    TimeInForce.IOC), aliceKey)).reject() == null);
            Command withdraw = new Command().reset();
            withdraw.type = CommandType.WITHDRAW;
            withdraw.asset = 0;
            withdraw.amount = 2_500 * USD;
            withdraw.destination = carol.toBytes();
            EngineLoop.Result w = submit(node, signed(withdraw, aliceKey));
            assertEquals(null, w.reject());
            await("the withdrawal paid on chain",
                    () -> venue.tokenBalance(carol.toLowerHex()).equals(BigInteger.valueOf(2_500 * USD)));
            await("the payment recorded", () -> node.settlement().pendingWithdrawals() == 0
                    && node.settlement().withdrawalsPaid() == 1);
            // Alice's list says so: the batch it was in and the payment's transaction, mined on this chain.
            JsonNode listed = list(node, "/v1/withdrawals?address=" + aliceKey.address().toLowerHex()).get(0);
            assertEquals(w.sequence(), listed.get("sequence").asLong(), listed.toString());
            assertEquals(carol.toLowerHex(), listed.get("destination").asText());
            assertEquals("paid", listed.get("status").asText(), listed.toString());
            assertTrue(listed.get("batchId").asLong() >= 1, listed.toString());
            String txHash = listed.get("txHash").asText();
            assertTrue(txHash.matches("0x[0-9a-f]{64}"), listed.toString());
            assertTrue(chain.web3().ethGetTransactionReceipt(txHash).send().getTransactionReceipt().isPresent(),
                    "the payment's transaction is on chain");
            paidInBatch = listed.get("batchId").asLong();

            // Bob forces a withdrawal on chain: the node journals the request once confirmed, the engine pays out what
            // is free, the next batch carries it and the processor pays it, so it can no longer freeze the vault.
            Chain.Sender bob = users.get(1);
            BigInteger bobBefore = venue.tokenBalance(bobKey.address().toLowerHex());
            venue.requestForcedWithdrawal(bob, venue.token());
            chain.mine(K);
            await("the forced request served and paid", () -> node.settlement().withdrawalsPaid() == 2
                    && venue.tokenBalance(bobKey.address().toLowerHex()).compareTo(bobBefore) > 0);
            assertEquals(1L, node.settlement().status().get("forcedWithdrawalsServed"));
            // Sent by Bob, not the operator's key: the node's processor sends with that key, and two senders of one key
            // race for its nonces.
            Chain.ChainException paid = assertThrows(Chain.ChainException.class, () -> venue.freeze(bob, 0));
            assertTrue(paid.is("BadRequest()"), paid.getMessage());
        } finally {
            node.close();
        }

        // A crash after the payment and before its record: the markers are lost. The restart pays nothing again,
        // credits no deposit again, and carries on from the batches on disk and on chain.
        try (Stream<Path> files = Files.list(dir.resolve("data/settlement"))) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("paid-")).toList()) {
                Files.delete(p);
            }
        }
        long batchesBefore = venue.batchCount();
        Node again = Node.start(config);
        try {
            await("the restart's processor caught up", () -> again.settlement().pendingWithdrawals() == 0
                    && again.settlement().committedBatches() >= batchesBefore);
            assertEquals(BigInteger.valueOf(2_500 * USD), venue.tokenBalance(carol.toLowerHex()), "paid exactly once");
            // Still paid after the restart: in its batch if the node still keeps that batch's file (it keeps the newest
            // three once paid, and batches are cut every 300 ms here), else "batch no longer kept" (null).
            JsonNode relisted = list(again, "/v1/withdrawals?address=" + aliceKey.address().toLowerHex()).get(0);
            assertEquals("paid", relisted.get("status").asText(), relisted.toString());
            assertTrue(relisted.get("batchId").isNull() || relisted.get("batchId").asLong() == paidInBatch,
                    relisted.toString());
            chain.mine(K);
            Thread.sleep(500);
            assertEquals(0, again.settlement().depositsCredited(), "no deposit credited twice");
            long aliceNow = statementBalance(again, aliceKey.address());
            assertTrue(aliceNow > 7_400 * USD && aliceNow < 7_500 * USD, "10,000 - 2,500 less fees: " + aliceNow);

            // Let a batch after everything be committed, then stop the processor: the operator vanishes.
            long target = venue.batchCount() + 2;
            await("two more batches", () -> venue.batchCount() >= target);
            again.settlement().processing(false);
            Thread.sleep(1_000);
            long last = venue.batchCount();

            // A withdrawal while the operator is gone: accepted, cut into a batch, its roots never posted.
            Command small = new Command().reset();
            small.type = CommandType.WITHDRAW;
            small.asset = 0;
            small.amount = USD;
            small.destination = aliceKey.address().toBytes();
            EngineLoop.Result stuck = submit(again, signed(small, aliceKey));
            assertEquals(null, stuck.reject());
            String alices = "/v1/withdrawals?address=" + aliceKey.address().toLowerHex();
            await("the withdrawal batched", () -> {
                try {
                    JsonNode first = list(again, alices).get(0);
                    return first.get("sequence").asLong() == stuck.sequence()
                            && first.get("status").asText().equals("batched") && first.get("batchId").asLong() > last;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(list(again, alices).get(0).get("txHash").isNull());
            BigInteger liability = venue.balanceRoot(last, venue.token()).total();

            // Every account's proof verifies on chain, they sum to the committed liability, the vault covers it.
            BigInteger sum = BigInteger.ZERO;
            Map<Secp256k1PrivateKey, Long> escapes = new java.util.HashMap<>();
            for (Secp256k1PrivateKey user : List.of(aliceKey, bobKey)) {
                JsonNode proof = get(again, "/v1/proof/" + user.address().toLowerHex());
                assertEquals(200, proof.get("httpStatus").asInt(), proof.toString());
                assertEquals(last, proof.get("batchId").asLong());
                JsonNode asset = proof.get("assets").get(0);
                long balance = Long.parseLong(asset.get("balance").asText());
                assertTrue(venue.verifyBalance(last, user.address().toLowerHex(), venue.token(), balance, proofOf(asset)));
                assertTrue(MerkleSumTree.verify(MerkleSumTree.balanceLeaf(user.address(),
                        Address.parseOrThrow(venue.token()), balance), balance, proofOf(asset),
                        Numeric.hexStringToByteArray(asset.get("rootHash").asText()), liability));
                sum = sum.add(BigInteger.valueOf(balance));
                escapes.put(user, balance);
            }
            assertEquals(liability, sum);
            assertTrue(venue.tokenBalance(venue.vault()).compareTo(liability) >= 0, "solvent");
            assertEquals(404, get(again, "/v1/proof/" + carol.toLowerHex()).get("httpStatus").asInt());
            JsonNode status = get(again, "/v1/settlement");
            assertEquals(last, status.get("lastBatch").get("batchId").asLong());
            assertEquals(2, status.get("lastCreditedDepositId").asLong());

            // The escape hatch: Alice's forced withdrawal (request 1) is left unpaid past the delay; the vault freezes and
            // everyone leaves with the committed balance.
            Chain.Sender alice = users.get(0);
            venue.requestForcedWithdrawal(alice, venue.token());
            chain.increaseTime(601);
            chain.mine(1);
            venue.freeze(operator, 1);
            assertTrue(venue.frozen());
            BigInteger escaped = BigInteger.ZERO;
            for (int i = 0; i < 2; i++) {
                Secp256k1PrivateKey user = i == 0 ? aliceKey : bobKey;
                BigInteger before = venue.tokenBalance(user.address().toLowerHex());
                JsonNode asset = get(again, "/v1/proof/" + user.address().toLowerHex()).get("assets").get(0);
                venue.escape(users.get(i), venue.token(), escapes.get(user), proofOf(asset));
                escaped = escaped.add(venue.tokenBalance(user.address().toLowerHex()).subtract(before));
            }
            assertEquals(liability, escaped, "the sum escaped is the committed liability");
        } finally {
            again.close();
        }
    }
}
