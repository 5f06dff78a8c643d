package io.meridian.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.auth.Address;
import io.meridian.client.MeridianClient;
import io.meridian.node.ChainSettings;
import io.meridian.node.settlement.SettlementLoop;
import io.meridian.settlement.Chain;
import io.meridian.settlement.LocalChain;
import io.meridian.settlement.MerkleSumTree;
import io.meridian.settlement.VaultContracts;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code meridian demo --chain}: the demo's money on a real local chain (docs/settlement.md). It starts ganache with its
 * database in {@code DATA_DIR/chain} (so a rerun carries on the same chain, as the journal carries on the same venue),
 * deploys the dev venue the first time (TestUSD, a 2-of-3 multisig with a 60 s timelock as governor, the vault; the
 * addresses kept in {@code DATA_DIR/chain/venue.json}), and gives the node a {@code chain} section: K = 2, a batch every
 * 5 s. The demo wallets are funded by deposits into the vault (a funder mints TestUSD and deposits for each address),
 * credited by the node's watcher, not by dev deposits; at the end one maker withdraws to its own address, the demo
 * waits for the payment and checks that maker's proof against the root the vault committed, and the vault's solvency.
 *
 * <p>Not thread-safe: the demo's main thread only.
 */
final class DemoChain implements AutoCloseable {
    static final int CONFIRMATIONS = 2;
    private static final long USD = 1_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalChain local;
    private final Chain chain;
    private final VaultContracts venue;
    private final Chain.Sender funder;
    private final ChainSettings settings;
    private int deposits;

    private DemoChain(LocalChain local, Chain chain, VaultContracts venue, ChainSettings settings) {
        this.local = local;
        this.chain = chain;
        this.venue = venue;
        this.settings = settings;
        this.funder = chain.sender(LocalChain.keyBytes(4));
    }

    /** Starts (or resumes) the local chain in {@code dataDir/chain} and the dev venue on it. */
    static DemoChain start(Path dataDir, PrintStream out) throws IOException, InterruptedException {
        Path folder = dataDir.resolve("chain");
        LocalChain local = LocalChain.start(LocalChain.defaultContractsDir(), folder.resolve("ganache"));
        Chain chain = new Chain(local.rpcUrl(), LocalChain.CHAIN_ID);
        try {
            Path record = folder.resolve("venue.json");
            VaultContracts venue;
            long fromBlock;
            if (Files.isRegularFile(record)) {
                JsonNode v = JSON.readTree(record.toFile());
                venue = new VaultContracts(chain, v.get("token").asText(), v.get("vault").asText(),
                        v.get("governor").asText());
                fromBlock = v.get("fromBlock").asLong();
                out.println("demo: chain: resumed at block " + chain.blockNumber() + " (" + local.rpcUrl() + ")");
            } else {
                Chain.Sender operator = chain.sender(LocalChain.keyBytes(0));
                List<String> owners = List.of(LocalChain.key(1).address().toChecksumHex(),
                        LocalChain.key(2).address().toChecksumHex(), LocalChain.key(3).address().toChecksumHex());
                venue = VaultContracts.deployDev(chain, operator, operator.address(), owners, 2, 60, 600);
                fromBlock = chain.blockNumber();
                ObjectNode v = JSON.createObjectNode().put("token", venue.token()).put("vault", venue.vault())
                        .put("governor", venue.governor()).put("fromBlock", fromBlock);
                Files.writeString(record, v.toString());
                out.println("demo: chain: a new local chain (" + local.rpcUrl() + ", chain id " + LocalChain.CHAIN_ID
                        + ") with the dev venue deployed: governor 2 of dev keys 1-3, 60 s timelock");
            }
            out.println("demo: chain: vault " + venue.vault() + ", TestUSD " + venue.token() + ", governor "
                    + venue.governor());
            Path key = folder.resolve("operator.key");
            Files.writeString(key, Numeric.toHexString(LocalChain.keyBytes(0)));
            ChainSettings settings = new ChainSettings(local.rpcUrl(), LocalChain.CHAIN_ID, venue.vault(),
                    Map.of(venue.token(), 0), CONFIRMATIONS, key.toString(), fromBlock,
                    new ChainSettings.Batch(5_000L, 64), 250L);
            return new DemoChain(local, chain, venue, settings);
        } catch (IOException | RuntimeException e) {
            chain.close();
            local.close();
            throw e;
        }
    }

    ChainSettings settings() {
        return settings;
    }

    /** Deposits {@code amount} whole USDC into the vault for {@code account}, paid by the funder (dev key 4). */
    void deposit(Address account, String amount) {
        long units = new java.math.BigDecimal(amount).multiply(java.math.BigDecimal.valueOf(USD)).longValueExact();
        venue.mint(funder, funder.address(), units);
        venue.approve(funder, venue.vault(), units);
        venue.deposit(funder, venue.token(), units, account.toLowerHex());
        deposits++;
    }

    /** Mines K blocks and waits (at most 60 s) until the node credited every deposit made through {@link #deposit}. */
    void awaitCredited(SettlementLoop loop, PrintStream out) throws InterruptedException {
        if (deposits == 0) {
            return;
        }
        chain.mine(CONFIRMATIONS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (loop.depositsCredited() < deposits) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the node credited " + loop.depositsCredited() + " of " + deposits
                        + " deposits in 60 s: " + loop.status().get("lastError"));
            }
            Thread.sleep(50);
        }
        out.println("demo: chain: " + deposits + " deposits into the vault credited after " + CONFIRMATIONS + " blocks");
    }

    /**
     * The end of the run: {@code owner} withdraws 1,000 USDC to its own address; waits (at most 30 s) for the payment,
     * then checks the owner's proof from the node against the root the vault committed and the vault's balance against
     * the committed liability. Prints what it found; false when something did not hold.
     */
    boolean settleAndProve(MeridianClient owner, SettlementLoop loop, PrintStream out) throws InterruptedException {
        Address address = owner.signer().address();
        BigInteger before = venue.tokenBalance(address.toLowerHex());
        owner.withdraw(0, 6, "1000", address);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long paidBefore = loop.withdrawalsPaid();
        // Paid on chain, and the processor has seen its receipt (it counts the payment after the receipt arrives).
        while (venue.tokenBalance(address.toLowerHex()).subtract(before).compareTo(BigInteger.valueOf(1_000 * USD)) < 0
                || loop.withdrawalsPaid() == paidBefore) {
            if (System.nanoTime() > deadline) {
                out.println("demo: chain: the withdrawal was not paid in 30 s: " + loop.status());
                return false;
            }
            Thread.sleep(100);
        }
        long batch = loop.committedBatches();
        Map<String, Object> proof = loop.proof(address);
        if (proof == null) {
            out.println("demo: chain: no proof for " + address.toLowerHex() + " in batch " + batch);
            return false;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> asset = ((List<Map<String, Object>>) proof.get("assets")).get(0);
        long balance = Long.parseLong((String) asset.get("balance"));
        List<byte[]> hashes = new ArrayList<>();
        for (Object h : (List<?>) asset.get("siblingHashes")) {
            hashes.add(Numeric.hexStringToByteArray((String) h));
        }
        List<BigInteger> totals = new ArrayList<>();
        for (Object t : (List<?>) asset.get("siblingTotals")) {
            totals.add(new BigInteger((String) t));
        }
        long provenBatch = ((Number) proof.get("batchId")).longValue();
        MerkleSumTree.Proof merkle = new MerkleSumTree.Proof(((Number) asset.get("leafIndex")).longValue(), hashes, totals);
        VaultContracts.MerkleRoot root = venue.balanceRoot(provenBatch, venue.token());
        boolean proven = venue.verifyBalance(provenBatch, address.toLowerHex(), venue.token(), balance, merkle);
        boolean solvent = venue.tokenBalance(venue.vault()).compareTo(root.total()) >= 0;
        out.println("demo: chain: withdrew 1,000 USDC to " + address.toLowerHex() + " (paid on chain); batch "
                + provenBatch + " proves its balance of " + new java.math.BigDecimal(balance).movePointLeft(6)
                + " USDC: " + (proven ? "ok" : "FAILED") + "; the vault holds " + new java.math.BigDecimal(
                venue.tokenBalance(venue.vault())).movePointLeft(6) + " against a committed liability of "
                + new java.math.BigDecimal(root.total()).movePointLeft(6) + ": " + (solvent ? "solvent" : "NOT SOLVENT"));
        out.println("demo: chain: deposits_credited=" + loop.depositsCredited() + " withdrawals_paid="
                + loop.withdrawalsPaid() + " roots_posted=" + loop.rootsPosted() + " proofs=" + (proven ? "ok" : "failed")
                + " solvency=" + (solvent ? "ok" : "failed"));
        return proven && solvent;
    }

    @Override
    public void close() {
        chain.close();
        local.close();
    }
}
