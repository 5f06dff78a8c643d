package io.meridian.node.settlement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.node.ChainSettings;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
import io.meridian.node.NodeTestMain;
import io.meridian.settlement.Chain;
import io.meridian.settlement.LocalChain;
import io.meridian.settlement.VaultContracts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults around the node's settlement loop on a real ganache.
 *
 * <p>A reorg: a deposit seen in fewer than K blocks is reorganised away (the chain reverted to before it) and replaced by
 * another deposit of a different amount; the node credits only the replacement, once.
 *
 * <p>A kill: the node as a real process, killed with SIGKILL while its withdrawal transaction waits in the chain's pool (sent,
 * not mined), then restarted on its data directory while that transaction is still pending: the restarted node sees
 * the withdrawal unpaid on chain and sends it again. Whether the chain takes that as a second transaction (which then
 * reverts with {@code AlreadyPaid}, counted as paid) or refuses it as an underpriced replacement of the pending one
 * (ganache reuses the nonce: the processor backs off and retries), once the chain mines, the destination is paid
 * exactly once and the node counts the withdrawal paid. Then a node on an empty data directory is refused: the vault
 * holds a batch that directory does not know (its batches are lost, or another node commits to the vault).
 */
class SettlementFaultsTest extends LocalChainTest {
    private static final long USD = 1_000_000;
    private static final int K = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private Process startProcess(Path config) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                NodeTestMain.class.getName(), config.toString())
                .redirectError(temp.resolve("stderr.log").toFile()).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.startsWith("node ready")) {
                // Keep draining its output so the process never blocks on a full pipe.
                Thread drain = new Thread(() -> {
                    try {
                        while (lines.readLine() != null) {
                            // discarded
                        }
                    } catch (IOException closed) {
                        // the process died
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return process;
            }
            assertTrue(System.nanoTime() < deadline, "node did not start");
        }
        throw new IllegalStateException("node exited: " + Files.readString(temp.resolve("stderr.log")));
    }

    private static JsonNode http(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        request = body == null ? request.GET() : request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static BooleanSupplier quietly(java.util.concurrent.Callable<Boolean> check) {
        return () -> {
            try {
                return check.call();
            } catch (Exception notYet) {
                return false;
            }
        };
    }

    @Test
    void killedWithItsWithdrawalInThePoolPaysOnceAfterTheRestart() throws Exception {
        Chain.Sender operator = chain.sender(LocalChain.keyBytes(0));
        VaultContracts venue = VaultContracts.deployDev(chain, operator, operator.address(),
                List.of(operator.address()), 1, 0, 600);
        long from = chain.blockNumber();
        Chain.Sender alice = chain.sender(LocalChain.keyBytes(4));
        String carol = LocalChain.key(9).address().toLowerHex();
        venue.mint(alice, alice.address(), 10_000 * USD);
        venue.approve(alice, venue.vault(), 10_000 * USD);
        venue.deposit(alice, venue.token(), 10_000 * USD, alice.address());

        Path key = operatorKey(temp);
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        // A batch only when a withdrawal is waiting (the interval is a day), so the operator's only transactions are
        // the commit of the withdrawal's batch and its payment: the test can tell them apart by their order.
        String json = "{\"dataDir\":\"" + temp.resolve("data").toString().replace("\\", "/") + "\",\"httpPort\":" + port
                + ",\"devMode\":true,\"auth\":{\"mode\":\"open\"},\"chain\":{\"rpcUrl\":\"" + local.rpcUrl()
                + "\",\"chainId\":" + LocalChain.CHAIN_ID + ",\"vault\":\"" + venue.vault() + "\",\"assets\":{\""
                + venue.token() + "\":0},\"confirmations\":" + K + ",\"operatorKeyFile\":\""
                + key.toString().replace("\\", "/") + "\",\"fromBlock\":" + from + ",\"pollMillis\":100,"
                + "\"batch\":{\"intervalMillis\":86400000,\"maxWithdrawals\":1}}}";
        Path config = temp.resolve("node.json");
        Files.writeString(config, json);

        Process node = startProcess(config);
        try {
            chain.mine(K);
            await("the deposit credited", quietly(() -> http(port, "GET", "/v1/settlement", null)
                    .get("depositsCredited").asLong() == 1));
            long account = http(port, "GET", "/v1/accounts/" + alice.address(), null).get("account").asLong();

            chain.automine(false);
            http(port, "POST", "/v1/withdrawals", "{\"account\":" + account + ",\"asset\":0,\"amount\":\"2500\","
                    + "\"destination\":\"" + carol + "\"}");
            await("the batch's commit sent", () -> chain.pendingInputs(operator.address()).size() == 1);
            chain.mine(1);
            assertEquals(1, venue.batchCount(), "the first pending transaction was the commit");
            await("the payment sent", () -> chain.pendingInputs(operator.address()).size() == 1);
            String payment = chain.pendingInputs(operator.address()).get(0);
            node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertEquals(BigInteger.ZERO, venue.tokenBalance(carol), "nothing paid yet: the payment is in the pool");
            assertEquals(List.of(payment), chain.pendingInputs(operator.address()), "the killed node's payment waits");
        } finally {
            node.destroyForcibly();
        }

        NodeConfig restart = NodeConfig.parse(json);
        Node again = Node.start(restart);
        try {
            // The restart finds the withdrawal unpaid on chain (the old transaction is not mined) and sends it again.
            assertEquals(0, again.settlement().withdrawalsPaid());
            await("the restart's own payment tried", () -> chain.pendingInputs(operator.address()).size() == 2
                    || again.settlement().status().get("lastError") != null);
            System.out.println("the restart's attempt: " + chain.pendingInputs(operator.address()).size()
                    + " payments in the pool, last error " + again.settlement().status().get("lastError"));
            chain.automine(true);
            chain.mine(1);
            await("the restart counts it paid", () -> again.settlement().pendingWithdrawals() == 0
                    && again.settlement().withdrawalsPaid() == 1);
            assertEquals(BigInteger.valueOf(2_500 * USD), venue.tokenBalance(carol), "paid exactly once");
            assertEquals(BigInteger.valueOf(7_500 * USD), venue.tokenBalance(venue.vault()));
            assertTrue(chain.pendingInputs(operator.address()).isEmpty());
        } finally {
            chain.automine(true);
            again.close();
        }

        // The data directory lost: the vault has a batch the node cannot know, and its start says so.
        NodeConfig fresh = NodeConfig.parse(json.replace(temp.resolve("data").toString().replace("\\", "/"),
                temp.resolve("lost").toString().replace("\\", "/")));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Node.start(fresh).close());
        assertTrue(refused.getMessage().contains("has 1 batches but"), refused.getMessage());
    }

    @Test
    void aDepositReorganisedAwayBeforeKBlocksIsNeverCredited() throws Exception {
        int k = 3;
        Chain.Sender operator = chain.sender(LocalChain.keyBytes(0));
        VaultContracts venue = VaultContracts.deployDev(chain, operator, operator.address(),
                List.of(operator.address()), 1, 0, 600);
        long from = chain.blockNumber();
        Chain.Sender alice = chain.sender(LocalChain.keyBytes(6));
        venue.mint(alice, alice.address(), 20_000 * USD);
        venue.approve(alice, venue.vault(), 20_000 * USD);
        NodeConfig config = settlingConfig(temp.resolve("reorg"), venue, k, from, new ChainSettings.Batch(86_400_000L, 1));
        Node node = Node.start(config);
        try {
            String fork = chain.snapshot();
            venue.deposit(alice, venue.token(), 10_000 * USD, alice.address());
            chain.mine(k - 2); // k - 1 blocks hold it: one short of confirmed
            Thread.sleep(1_000); // ten polls see it unconfirmed
            assertEquals(0, node.settlement().depositsCredited(), "not credited before K blocks");

            chain.revert(fork); // the reorg: the deposit's blocks are gone
            venue.deposit(alice, venue.token(), 3_000 * USD, alice.address());
            chain.mine(k);
            await("the replacement credited", () -> node.settlement().depositsCredited() == 1);
            Thread.sleep(1_000);
            chain.mine(k);
            Thread.sleep(500);
            assertEquals(1, node.settlement().depositsCredited(), "credited once");
            byte[] address = io.meridian.auth.Address.parseOrThrow(alice.address()).toBytes();
            long balance = node.engine().query(e -> e.view().settlementStatement(0).stream()
                    .filter(s -> java.util.Arrays.equals(s.address().toBytes(), address))
                    .mapToLong(io.meridian.engine.SettlementStatement.Entry::balance).sum()).get(10, TimeUnit.SECONDS);
            assertEquals(3_000 * USD, balance, "the reorganised deposit of 10,000 left no trace");
            assertEquals(BigInteger.valueOf(3_000 * USD), venue.tokenBalance(venue.vault()));
        } finally {
            node.close();
        }
    }
}
