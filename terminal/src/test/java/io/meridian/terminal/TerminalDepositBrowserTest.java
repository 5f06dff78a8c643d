package io.meridian.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.client.MeridianClient;
import io.meridian.client.Signer;
import io.meridian.node.ChainSettings;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
import io.meridian.settlement.Chain;
import io.meridian.settlement.LocalChain;
import io.meridian.settlement.VaultContracts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.meridian.terminal.TerminalBrowserTest.browser;
import static io.meridian.terminal.TerminalBrowserTest.count;
import static io.meridian.terminal.TerminalBrowserTest.grouped;
import static io.meridian.terminal.TerminalBrowserTest.screenshot;
import static io.meridian.terminal.TerminalBrowserTest.signedNode;
import static io.meridian.terminal.TerminalBrowserTest.text;
import static io.meridian.terminal.TerminalBrowserTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deposit on chain from the Account page, in a real browser against a real node settling on a real local chain
 * (ganache, as the node's settlement tests run it): the page approves the vault and deposits from the browser's wallet,
 * shows both transactions, and says the deposit is credited once the node's watcher credits it, with the balance
 * {@code GET /v1/balances} gives. The wallet's refusal and an amount beyond the asset's decimals are said plainly first,
 * and a deposit into a frozen vault shows the vault's revert by name.
 *
 * <p>The test's Chromium has no wallet, so the test injects a minimal EIP-1193 provider before the page loads: it names
 * one of ganache's funded, unlocked accounts and forwards every other request (eth_sendTransaction included: ganache
 * signs for its unlocked accounts) to ganache's JSON-RPC. Only this key sends transactions while the node runs (the
 * node's processor has the operator's), one at a time.
 */
class TerminalDepositBrowserTest {
    private static final long USD = 1_000_000;
    private static final int K = 2;
    private static final int WALLET = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The wallet the page sees: the shim, with a switch the test flips to make it refuse the next transaction. */
    private static String walletShim(String rpcUrl, String account) throws Exception {
        return """
                (() => {
                  const rpc = %s, account = %s;
                  let id = 0;
                  const forward = async (method, params) => {
                    const answer = await (await fetch(rpc, { method: "POST",
                      headers: { "Content-Type": "application/json" },
                      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: params ?? [] }) })).json();
                    if (answer.error) {
                      const e = new Error(answer.error.message);
                      e.code = answer.error.code;
                      // As wallets hand a revert to the page (EIP-1474: the revert bytes as the error's data);
                      // ganache nests them in an object's result.
                      const nested = answer.error.data && answer.error.data.result;
                      e.data = typeof nested === "string" ? nested : answer.error.data;
                      throw e;
                    }
                    return answer.result;
                  };
                  window.testWallet = { refuseNext: false, sent: 0 };
                  window.ethereum = {
                    async request({ method, params }) {
                      if (method === "eth_requestAccounts" || method === "eth_accounts") return [account];
                      if (method === "eth_sendTransaction") {
                        if (window.testWallet.refuseNext) {
                          window.testWallet.refuseNext = false;
                          throw Object.assign(new Error("User rejected the request."), { code: 4001 });
                        }
                        window.testWallet.sent += 1;
                      }
                      return forward(method, params);
                    },
                    on() {},
                    removeListener() {},
                  };
                })();
                """.formatted(JSON.writeValueAsString(rpcUrl), JSON.writeValueAsString(account));
    }

    @Test
    void aDepositFromTheWalletIsSentAndCreditedOnTheAccountPage(@TempDir Path dir) throws Exception {
        try (LocalChain local = LocalChain.start(LocalChain.defaultContractsDir());
             Chain chain = new Chain(local.rpcUrl(), LocalChain.CHAIN_ID)) {
            // The venue, deployed and funded before the node starts: the operator's key is the node's from then on.
            Chain.Sender operator = chain.sender(LocalChain.keyBytes(0));
            VaultContracts venue = VaultContracts.deployDev(chain, operator, operator.address(),
                    List.of(operator.address()), 1, 0, 600);
            long from = chain.blockNumber();
            Chain.Sender wallet = chain.sender(LocalChain.keyBytes(WALLET));
            venue.mint(wallet, wallet.address(), 5_000 * USD);

            // The page's account: a dev key this browser keeps, credited by the wallet's deposit.
            byte[] ownerKey = new byte[32];
            java.util.Arrays.fill(ownerKey, (byte) 0x5d);
            Secp256k1PrivateKey owner = Secp256k1PrivateKey.of(ownerKey);
            Path key = Files.writeString(Files.createDirectories(dir.resolve("keys")).resolve("operator.key"),
                    HexFormat.of().formatHex(LocalChain.keyBytes(0)));
            NodeConfig config = signedNode(dir).withChain(new ChainSettings(local.rpcUrl(), LocalChain.CHAIN_ID,
                    venue.vault(), Map.of(venue.token(), 0), K, key.toString(), from,
                    new ChainSettings.Batch(86_400_000L, 1_000), 100L));
            config.validate();
            try (Node node = Node.start(config)) {
                String base = "http://127.0.0.1:" + node.httpPort();
                JsonNode settlement = get(base + "/v1/settlement");
                assertEquals(venue.token().toLowerCase(), settlement.get("assets").get(0).get("token").asText()
                        .toLowerCase(), "the token a depositor needs: " + settlement);
                assertEquals(0, settlement.get("assets").get(0).get("asset").asInt());
                assertEquals(K, settlement.get("confirmations").asInt());

                ChromeDriver browser = browser(dir);
                try {
                    // The test's own shim only: its fetch to ganache is a connection the page's Content-Security-Policy
                    // (this origin only) forbids, so the test lifts CSP for its browser. Users' pages keep the policy.
                    browser.executeCdpCommand("Page.setBypassCSP", Map.of("enabled", true));
                    Object shim = browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                            Map.of("source", walletShim(local.rpcUrl(), wallet.address()))).get("identifier");
                    JavascriptExecutor js = browser;
                    browser.get(base + "/#/market/BTC-PERP");
                    js.executeScript("localStorage.setItem('meridian.terminal.devKey', arguments[0]);",
                            "0x" + HexFormat.of().formatHex(ownerKey));
                    browser.get(base + "/#/account/BTC-PERP");
                    browser.navigate().refresh();
                    awaitStatus(js, "the deposit form ready", Duration.ofSeconds(10),
                            t -> t.startsWith("chain 1337, vault "));

                    // More decimals than the asset has: refused on the page, nothing asked of the wallet.
                    browser.findElement(By.id("deposit-amount")).sendKeys("1.0000001");
                    browser.findElement(By.id("deposit")).click();
                    awaitStatus(js, "the amount refused", Duration.ofSeconds(5),
                            t -> t.equals("deposit: amount: at most 6 decimals"));

                    // The wallet refuses the approve: said plainly, nothing sent.
                    browser.findElement(By.id("deposit-amount")).clear();
                    browser.findElement(By.id("deposit-amount")).sendKeys("1234.5");
                    js.executeScript("window.testWallet.refuseNext = true;");
                    browser.findElement(By.id("deposit")).click();
                    awaitStatus(js, "the refusal shown", Duration.ofSeconds(10),
                            t -> t.equals("deposit: the wallet refused the transaction"));
                    assertEquals(BigInteger.ZERO, venue.tokenBalance(venue.vault()));

                    // Now it signs: approve, then deposit, each hash shown as mined on the chain.
                    browser.findElement(By.id("deposit")).click();
                    waitFor("the deposit's transaction", Duration.ofSeconds(20),
                            () -> count(js, "#deposit-txs [data-kind='deposit']") == 1);
                    awaitStatus(js, "the deposit mined on the page", Duration.ofSeconds(10),
                            t -> t.startsWith("deposit 1 of 1234.500000 USDC mined"));
                    String approveHash = attribute(js, "#deposit-txs [data-kind='approve']");
                    String depositHash = attribute(js, "#deposit-txs [data-kind='deposit']");
                    for (String hash : List.of(approveHash, depositHash)) {
                        assertTrue(hash.matches("0x[0-9a-f]{64}"), hash);
                        assertTrue(chain.web3().ethGetTransactionReceipt(hash).send().getTransactionReceipt()
                                .isPresent(), "mined: " + hash);
                    }
                    assertTrue(text(js, "#deposit-txs [data-kind='deposit']", 0).endsWith(depositHash));
                    assertEquals(2L, ((Number) js.executeScript("return window.testWallet.sent;")).longValue());
                    assertEquals(BigInteger.valueOf(1_234_500_000L), venue.tokenBalance(venue.vault()));

                    // Credited once K blocks hold it (one block holds it now), then the page says so with the balance
                    // the node gives.
                    Thread.sleep(300); // three of the node's polls
                    assertEquals(0, get(base + "/v1/settlement").get("lastCreditedDepositId").asLong());
                    chain.mine(K);
                    waitFor("the deposit credited", Duration.ofSeconds(20),
                            () -> "1".equals(js.executeScript(
                                    "return document.getElementById('deposit-status').dataset.credited;")));
                    MeridianClient client = new MeridianClient(base);
                    JsonNode usdc = client.signedBy(Signer.owner(owner, client.domain())).balances(owner.address())
                            .get(0);
                    assertEquals("USDC", usdc.get("asset").asText(), usdc.toString());
                    assertEquals("1234.500000", usdc.get("balance").asText(), usdc.toString());
                    assertEquals("credited: deposit 1 of 1234.500000 USDC; balance now "
                            + grouped(usdc.get("balance").asText()), text(js, "#deposit-status", 0));
                    waitFor("the balances table", Duration.ofSeconds(5), () -> text(js, "#balances-table td", 1)
                            .equals(grouped(usdc.get("balance").asText())));
                    screenshot(browser, "account-deposit.png");

                    // A revert is named: the vault frozen (a forced withdrawal left unpaid past its delay, by another
                    // user's key, sent before the page's next deposit), the next deposit reverts IsFrozen().
                    Chain.Sender other = chain.sender(LocalChain.keyBytes(WALLET + 1));
                    venue.requestForcedWithdrawal(other, venue.token());
                    chain.increaseTime(601);
                    venue.freeze(other, 0);
                    assertTrue(venue.frozen());
                    browser.findElement(By.id("deposit-amount")).clear();
                    browser.findElement(By.id("deposit-amount")).sendKeys("10");
                    browser.findElement(By.id("deposit")).click();
                    awaitStatus(js, "the revert shown", Duration.ofSeconds(20),
                            t -> t.equals("deposit: reverted: IsFrozen()"));
                    assertEquals(BigInteger.valueOf(1_234_500_000L), venue.tokenBalance(venue.vault()), "no more in");

                    // The same page in a browser without a wallet says why it cannot deposit.
                    browser.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", shim));
                    browser.navigate().refresh();
                    awaitStatus(js, "no wallet said", Duration.ofSeconds(10),
                            t -> t.startsWith("Deposits on chain need a wallet in this browser"));
                    assertTrue(!browser.findElement(By.id("deposit")).isEnabled(), "no button to press");
                } finally {
                    browser.quit();
                }
            }
        }
    }

    /**
     * A node without a chain: the form says deposits on chain are not possible here, and why.
     */
    @Test
    void withoutAChainTheFormSaysDepositsAreNotPossible(@TempDir Path dir) throws Exception {
        try (Node node = Node.start(signedNode(dir))) {
            String base = "http://127.0.0.1:" + node.httpPort();
            ChromeDriver browser = browser(dir);
            try {
                JavascriptExecutor js = browser;
                browser.get(base + "/#/account/BTC-PERP");
                awaitStatus(js, "the reason", Duration.ofSeconds(10),
                        t -> t.startsWith("Deposits on chain are not possible here: this venue settles on no chain"));
                assertTrue(!browser.findElement(By.id("deposit")).isEnabled(), "no button to press");
            } finally {
                browser.quit();
            }
        }
    }

    /** The deposit form's status line ("null" before the page has drawn it). */
    private static String status(JavascriptExecutor js) {
        return String.valueOf(text(js, "#deposit-status", 0));
    }

    /** Waits for the status line to satisfy {@code wanted}; a timeout says what the line said instead. */
    private static void awaitStatus(JavascriptExecutor js, String what, Duration timeout,
                                    java.util.function.Predicate<String> wanted) throws InterruptedException {
        try {
            waitFor(what, timeout, () -> wanted.test(status(js)));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the status line says: " + status(js), e);
        }
    }

    private static String attribute(JavascriptExecutor js, String selector) {
        return (String) js.executeScript("return document.querySelector(arguments[0]).dataset.hash;", selector);
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + " -> " + response.body());
        return JSON.readTree(response.body());
    }
}
