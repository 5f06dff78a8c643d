package io.meridian.app;

import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.node.ChainSettings;
import io.meridian.node.EngineLoop;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
import io.meridian.node.settlement.SettlementLoop;
import io.meridian.settlement.Chain;
import io.meridian.settlement.LocalChain;
import io.meridian.settlement.MerkleSumTree;
import io.meridian.settlement.VaultContracts;
import org.web3j.utils.Numeric;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * {@code meridian settlement demo [--seconds N] [--rpc URL]}: a node settling on a chain, end to end. It starts a local
 * chain (or uses the one at {@code --rpc}, which must fund the dev keys: {@code meridian settlement chain}), deploys the
 * dev contracts, runs a node with a {@code chain} section (K = 2, a batch every 500 ms or every 4 withdrawals), has
 * four dev users deposit on chain, trade ETH-PERP through the node and sign withdrawals to themselves, waits for the
 * batches to be committed and the withdrawals paid, checks every user's proof and solvency as
 * {@code meridian verify-proof} does, then plays the escape hatch: the node's processor stops, a forced withdrawal is
 * left unpaid past the delay, the vault freezes and every user escapes with the committed balance (ok when the sum
 * escaped is the committed liability). {@code --seconds} bounds each wait (default 60). Last line
 * {@code deposits_credited=<int> withdrawals_paid=<int> roots_posted=<int> proofs=ok solvency=ok escape_hatch=ok},
 * each ok only when its check passed; exit 0 when all did, 1 otherwise, 2 usage.
 */
@picocli.CommandLine.Command(name = "demo", description = "A node settling on a local chain: deposits, trades,"
        + " withdrawals, batches, proofs, escape hatch; the last line is deposits_credited= withdrawals_paid="
        + " roots_posted= proofs= solvency= escape_hatch=.")
final class SettlementDemo extends Cli.Command {
    private static final long USD = 1_000_000;
    private static final int USERS = 4;
    private static final int ETH_PERP = 2;

    @Option(names = "--seconds", paramLabel = "N", description = "bound on each wait (default 60)")
    long seconds = 60;
    @Option(names = "--rpc", paramLabel = "URL", description = "use this chain (it must fund the dev keys: meridian"
            + " settlement chain) instead of starting one")
    String rpc;

    @Override
    public Integer call() {
        if (seconds < 1) {
            throw usage("--seconds takes a whole number >= 1");
        }
        String rpc = this.rpc;
        Path dir = null;
        LocalChain local = null;
        try {
            dir = Files.createTempDirectory("meridian-settlement-demo");
            if (rpc == null) {
                local = LocalChain.start(LocalChain.defaultContractsDir());
                rpc = local.rpcUrl();
            }
            long chainId;
            try (Chain probe = new Chain(rpc, 0)) {
                chainId = probe.web3().ethChainId().send().getChainId().longValueExact();
            }
            try (Chain chain = new Chain(rpc, chainId)) {
                return demo(chain, rpc, chainId, dir, seconds, out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            err.println("settlement demo: " + e);
            return 1;
        } finally {
            if (local != null) {
                local.close();
            }
            delete(dir);
        }
    }

    private static int demo(Chain chain, String rpc, long chainId, Path dir, long seconds, PrintStream out)
            throws Exception {
        Chain.Sender operator = chain.sender(LocalChain.keyBytes(0));
        VaultContracts venue = VaultContracts.deployDev(chain, operator, operator.address(), List.of(operator.address()),
                1, 0, 600);
        long from = chain.blockNumber();
        out.println("chain " + rpc + " (id " + chainId + "): token " + venue.token() + ", vault " + venue.vault());
        List<Secp256k1PrivateKey> keys = new ArrayList<>();
        List<Chain.Sender> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            keys.add(LocalChain.key(4 + i));
            Chain.Sender user = chain.sender(LocalChain.keyBytes(4 + i));
            users.add(user);
            venue.mint(user, user.address(), 10_000 * USD);
            venue.approve(user, venue.vault(), 10_000 * USD);
            venue.deposit(user, venue.token(), 10_000 * USD, user.address());
        }
        Path key = dir.resolve("operator.key");
        Files.writeString(key, Numeric.toHexString(LocalChain.keyBytes(0)));
        NodeConfig config = NodeConfig.defaults().withDataDirAndPort(dir.resolve("node").toString(), 0)
                .withChain(new ChainSettings(rpc, chainId, venue.vault(), Map.of(venue.token(), 0), 2, key.toString(),
                        from, new ChainSettings.Batch(500L, USERS), 100L));
        config.validate();
        boolean proofs = true;
        boolean solvency = true;
        boolean escape = false;
        long nonce = System.currentTimeMillis();
        try (Node node = Node.start(config)) {
            SettlementLoop loop = node.settlement();
            chain.mine(2);
            await("deposits credited", seconds, () -> loop.depositsCredited() == USERS);
            out.println("deposits credited: " + loop.depositsCredited());
            for (int i = 0; i + 1 < USERS; i += 2) {
                submit(node, sign(new Command().limit(0, ETH_PERP, 1, Side.SELL, 300_000, 100, TimeInForce.GTC),
                        keys.get(i + 1), ++nonce));
                submit(node, sign(new Command().limit(0, ETH_PERP, 2, Side.BUY, 300_000, 100, TimeInForce.IOC),
                        keys.get(i), ++nonce));
            }
            for (Secp256k1PrivateKey user : keys) {
                Command w = new Command().reset();
                w.type = CommandType.WITHDRAW;
                w.asset = 0;
                w.amount = 1_000 * USD;
                w.destination = user.address().toBytes();
                EngineLoop.Result result = submit(node, sign(w, user, ++nonce));
                if (result.reject() != null) {
                    throw new IllegalStateException("withdrawal refused: " + result.reject());
                }
            }
            await("withdrawals paid", seconds, () -> loop.withdrawalsPaid() == USERS && loop.pendingWithdrawals() == 0);
            out.println("withdrawals paid: " + loop.withdrawalsPaid() + ", roots posted: " + loop.rootsPosted());
            long target = venue.batchCount() + 1;
            await("a batch after the withdrawals", seconds, () -> venue.batchCount() >= target);
            // The operator vanishes: nothing more is committed or paid.
            loop.processing(false);
            Thread.sleep(1_000);
            long last = venue.batchCount();
            String url = "http://127.0.0.1:" + node.httpPort();
            List<Long> balances = new ArrayList<>();
            List<MerkleSumTree.Proof> paths = new ArrayList<>();
            for (Secp256k1PrivateKey user : keys) {
                ByteArrayOutputStream captured = new ByteArrayOutputStream();
                int code = VerifyProofCli.run(new String[] {"--address", user.address().toLowerHex(), "--url", url,
                        "--rpc", rpc, "--vault", venue.vault()}, new PrintStream(captured, true, StandardCharsets.UTF_8),
                        out);
                String text = captured.toString(StandardCharsets.UTF_8).trim();
                String verdict = text.substring(text.lastIndexOf('\n') + 1);
                proofs &= verdict.startsWith("proof=ok");
                solvency &= verdict.endsWith("solvency=ok");
                out.println(user.address().toLowerHex() + ": " + verdict + " (exit " + code + ")");
                com.fasterxml.jackson.databind.JsonNode asset = new com.fasterxml.jackson.databind.ObjectMapper()
                        .valueToTree(loop.proof(user.address())).get("assets").get(0);
                balances.add(Long.parseLong(asset.get("balance").asText()));
                paths.add(VerifyProofCli.proofOf(asset));
            }
            BigInteger liability = venue.balanceRoot(last, venue.token()).total();
            venue.requestForcedWithdrawal(users.get(0), venue.token());
            chain.increaseTime(venue.forcedWithdrawalDelay() + 1);
            chain.mine(1);
            venue.freeze(operator, 0);
            BigInteger escaped = BigInteger.ZERO;
            for (int i = 0; i < USERS; i++) {
                BigInteger before = venue.tokenBalance(users.get(i).address());
                venue.escape(users.get(i), venue.token(), balances.get(i), paths.get(i));
                escaped = escaped.add(venue.tokenBalance(users.get(i).address()).subtract(before));
            }
            escape = venue.frozen() && escaped.equals(liability) && liability.signum() > 0;
            out.println("frozen after an unpaid forced withdrawal; escaped " + escaped + " of committed liability "
                    + liability + " in batch " + last);
            out.println("deposits_credited=" + loop.depositsCredited() + " withdrawals_paid=" + loop.withdrawalsPaid()
                    + " roots_posted=" + loop.rootsPosted() + " proofs=" + ok(proofs) + " solvency=" + ok(solvency)
                    + " escape_hatch=" + ok(escape));
            return proofs && solvency && escape ? 0 : 1;
        }
    }

    private static String ok(boolean b) {
        return b ? "ok" : "failed";
    }

    private static Command sign(Command c, Secp256k1PrivateKey key, long nonce) {
        c.nonce = nonce;
        return SignedCommands.signAsOwner(c, MeridianTypes.devDomain(), key);
    }

    private static EngineLoop.Result submit(Node node, Command c) throws Exception {
        CompletableFuture<EngineLoop.Result> answer = new CompletableFuture<>();
        if (!node.engine().submit(c, answer::complete)) {
            throw new IllegalStateException("the node's queue is full");
        }
        return answer.get(10, TimeUnit.SECONDS);
    }

    private static void await(String what, long seconds, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory: left for the system to clean.
        }
    }
}
