package io.meridian.benchmarks;

import io.meridian.auth.Address;
import io.meridian.engine.Engine;
import io.meridian.engine.SettlementStatement;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.settlement.MerkleSumTree;


import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code meridian bench settlement [--accounts N] [--proofs P]}: what a settlement batch costs at scale (docs/settlement.md,
 * docs/performance.md). N addresses deposit through the engine; then, timed separately: the engine's settlement
 * statement (every address's committed balance), the Merkle-sum tree over it, P inclusion proofs, and their
 * verification as the contract computes it (in Java). Prints the phases and, last,
 * {@code accounts=<int> statement_ms=<int> tree_ms=<int> proof_us=<float> verify_us=<float>}. Balances only: positions
 * add one map lookup per account and instrument to the statement.
 */
public final class SettlementBench {
    private static final Address TOKEN = Address.parseOrThrow("0x00000000000000000000000000000000000000aa");

    private SettlementBench() {
    }

    public static int run(String[] args, PrintStream out) {
        return BenchCli.run(LiquidationBench.prepend("settlement", args), out);
    }

    /** {@code bench settlement}. */
    @picocli.CommandLine.Command(name = "settlement",
            description = "A settlement batch's statement, Merkle-sum tree, proofs and their"
            + " checks over N accounts (docs/settlement.md).")
    static final class Cli extends BenchCli.Base {
        @Option(names = "--accounts", paramLabel = "N", description = "accounts (default 1,000,000)")
        String accounts = "1000000";
        @Option(names = "--proofs", paramLabel = "P", description = "proofs made and checked (default 10,000)")
        String proofs = "10000";

        Cli(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            return run((int) number(accounts, "--accounts", 1, Integer.MAX_VALUE),
                    (int) number(proofs, "--proofs", 1, Integer.MAX_VALUE), out);
        }
    }

    static int run(int accounts, int proofs, PrintStream out) {
        Engine engine = new Engine(new EngineEvents() { });
        long[] sequence = {0};
        Command c = new Command().reset();
        c.type = CommandType.ADD_ASSET;
        c.assetSpec = new AssetSpec(0, "USDC", 6);
        apply(engine, c, sequence);
        long start = System.nanoTime();
        for (int i = 0; i < accounts; i++) {
            byte[] address = new byte[20];
            address[0] = 0x42;
            for (int b = 0; b < 4; b++) {
                address[19 - b] = (byte) (i >>> (8 * b));
            }
            c.reset();
            c.type = CommandType.DEPOSIT;
            c.address = address;
            c.asset = 0;
            c.amount = 1_000_000L + i;
            apply(engine, c, sequence);
        }
        out.printf(Locale.ROOT, "setup: %,d addresses deposited in %d ms%n", accounts, millisSince(start));

        start = System.nanoTime();
        List<SettlementStatement.Entry> statement = engine.view().settlementStatement(0);
        long statementMs = millisSince(start);
        start = System.nanoTime();
        List<MerkleSumTree.Leaf> leaves = new ArrayList<>(statement.size());
        for (SettlementStatement.Entry e : statement) {
            leaves.add(new MerkleSumTree.Leaf(MerkleSumTree.balanceLeaf(e.address(), TOKEN, e.balance()), e.balance()));
        }
        MerkleSumTree tree = new MerkleSumTree(leaves);
        long treeMs = millisSince(start);
        int step = Math.max(1, statement.size() / proofs);
        List<MerkleSumTree.Proof> made = new ArrayList<>(proofs);
        start = System.nanoTime();
        for (int i = 0; i < proofs; i++) {
            made.add(tree.proof((i * step) % statement.size()));
        }
        double proofUs = (System.nanoTime() - start) / 1_000.0 / proofs;
        start = System.nanoTime();
        int verified = 0;
        for (int i = 0; i < proofs; i++) {
            int index = (i * step) % statement.size();
            verified += MerkleSumTree.verify(leaves.get(index).hash(), leaves.get(index).amount(), made.get(i),
                    tree.rootHash(), tree.rootTotal()) ? 1 : 0;
        }
        double verifyUs = (System.nanoTime() - start) / 1_000.0 / proofs;
        if (verified != proofs) {
            out.println("error: " + (proofs - verified) + " proofs failed to verify");
            return 1;
        }
        out.printf(Locale.ROOT, "statement: %,d addresses in %d ms; tree: %,d leaves, depth %d, total %s, in %d ms%n",
                statement.size(), statementMs, tree.leafCount(), made.get(0).siblingHashes().size(), tree.rootTotal(),
                treeMs);
        out.printf(Locale.ROOT, "accounts=%d statement_ms=%d tree_ms=%d proof_us=%.1f verify_us=%.1f%n", accounts,
                statementMs, treeMs, proofUs, verifyUs);
        return 0;
    }

    private static void apply(Engine engine, Command c, long[] sequence) {
        c.sequence = ++sequence[0];
        c.timestamp = 1_700_000_000_000_000_000L + sequence[0];
        engine.apply(c);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
