package io.meridian.app;

import io.meridian.app.demo.Demo;
import io.meridian.benchmarks.BenchCli;
import io.meridian.cluster.ClusterNodeMain;
import io.meridian.app.load.LoadGenerator;
import io.meridian.node.NodeConfig;
import io.meridian.node.NodeMain;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code meridian} command. Subcommands: {@code demo} (run an in-process exchange with trading agents and a
 * live summary), {@code bench} (throughput and latency harnesses), {@code feed replay} (an oracle feed through the
 * index aggregator), {@code stress} (crash and adversarial scenarios through the engine), {@code replay} and {@code verify} (a
 * journal into a fresh engine, or checked record by record), {@code cluster-node} (one member of a replicated
 * cluster) and {@code cluster-export} (a stopped member's recorded log as a journal). Exit codes: 0 success, 1 failure,
 * 2 usage.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs a subcommand and returns its exit code; never calls {@link System#exit}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            usage(err);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "demo":
                return Demo.run(rest, out, err);
            case "bench":
                return BenchCli.run(rest, out);
            case "option":
                if (rest.length > 0 && rest[0].equals("margin")) {
                    return OptionMarginCli.run(Arrays.copyOfRange(rest, 1, rest.length), out, err);
                }
                return OptionCli.run(rest, out, err);
            case "greeks":
                return GreeksCli.run(rest, out, err);
            case "governance":
                return GovernanceCli.run(rest, out, err);
            case "feed":
                if (rest.length > 0 && rest[0].equals("keygen")) {
                    return FeedPublishCli.keygen(out);
                }
                if (rest.length > 0 && rest[0].equals("publish")) {
                    return FeedPublishCli.publish(Arrays.copyOfRange(rest, 1, rest.length), System.in, out, err,
                            () -> System.currentTimeMillis() * 1_000_000L);
                }
                return FeedReplayCli.run(rest, out, err);
            case "stress":
                return StressCli.run(rest, out, err);
            case "replay":
                return JournalCli.replay(rest, out, err);
            case "verify":
                return JournalCli.verify(rest, out, err);
            case "node":
                return NodeMain.run(rest, out, err);
            case "load":
                return LoadGenerator.run(rest, out, err);
            case "cluster-node":
                return ClusterNodeMain.run(rest, out, err, file -> NodeConfig.read(file).engineConfig());
            case "cluster-export":
                return ClusterExportCli.run(rest, out, err);
            case "settlement":
                return SettlementCli.run(rest, out, err);
            case "verify-proof":
                return VerifyProofCli.run(rest, out, err);
            case "help":
            case "--help":
            case "-h":
                usage(out);
                return 0;
            default:
                err.println("meridian: unknown command '" + args[0] + "'");
                usage(err);
                return 2;
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: meridian <command> [options]");
        out.println();
        out.println("commands:");
        out.println("  demo [--seconds N] [--seed N] [--rate N] [--http-port N] [--data-dir DIR] [--in-process]");
        out.println("        start a node with BTC-PERP, ETH-PERP and BTC options (journal in data/demo, REST and");
        out.println("        WebSocket on 127.0.0.1:8080), run seeded market makers and takers through the gateway (the");
        out.println("        options marked from a volatility surface, a hedger in portfolio margin), and print a live");
        out.println("        summary every second (--seconds 0 = until Ctrl-C; run again to recover); --in-process runs");
        out.println("        the engine in-process with oracle feeds and funding instead");
        out.println("  bench matching|engine [--workload FILE.csv] [--seed N] [--commands N] [--multi] [--warmup N]");
        out.println("        replay a command stream through the matching module alone or the whole engine and print");
        out.println("        throughput_ops_per_s=<int> p50_ns=<int> p99_ns=<int> p9999_ns=<int> as the last line");
        out.println("  option price --type call|put --spot S --strike K --rate R --carry B --vol V --tte T [--json]");
        out.println("  option iv --type call|put --spot S --strike K --rate R --carry B --tte T --price P [--json]");
        out.println("        generalised Black-Scholes price and greeks, or the implied volatility (see docs/options.md)");
        out.println("  option margin --spot S --vol V --leg perp:QTY|future:DAYS:QTY|call:K:DAYS:QTY|put:K:DAYS:QTY ...");
        out.println("        a book's greeks and its standard and portfolio margin (see docs/risk.md)");
        out.println("  greeks --url URL (--account N | --address 0x...) [--read-token TOKEN] [--json]");
        out.println("        an account's option greeks (per position and net per index) and option margin from a node");
        out.println("  governance show --url URL [--instrument N] [--json]");
        out.println("  governance propose|approve|cancel --url URL (--key HEX | --key-file FILE) ...");
        out.println("        risk governance: the admins, open proposals and risk parameters in force; an admin's signed");
        out.println("        proposal of risk bounds, approval or veto (see docs/operations.md, \"Risk governance\")");
        out.println("  feed keygen | feed publish --url URL --key-file FILE --index ID [--source N]");
        out.println("        a price feed: make a key for the node's config (indexes[].sourceKeys), then sign and post");
        out.println("        each stdin line \"SOURCE PRICE [TIMESTAMP_NS]\" to POST /v1/oracle (docs/auth.md)");
        out.println("  feed replay --csv FILE");
        out.println("        replay rows ts_ms,source,price[,confidence] through the default index aggregator and print");
        out.println("        ts_ms=<int> index=<decimal> status=<ok|stale> per row (see docs/pricing.md)");
        out.println("  bench liquidation [--accounts N]");
        out.println("        liquidation detection over N open positions (default 1,000,000); last line");
        out.println("        accounts=<int> underwater=<int> detect_and_start_ms=<float> quiet_tick_ms=<float>");
        out.println("  stress --list | --scenario NAME [--seed N] [--seconds N] [--csv FILE] [--options]");
        out.println("        run a crash or adversarial scenario with seeded agents (--options: and BTC option writers)");
        out.println("        through the engine and print the report: the shadow audit's invariants by name, an attack's");
        out.println("        pass: lines; the last line is invariants=ok or invariants=violated <which> (see docs/stress.md)");
        out.println("  settlement chain [--seconds N]");
        out.println("        start a local EVM chain (ganache) on loopback with the dev settlement contracts deployed,");
        out.println("        print rpc=<url> chain_id=<int> token= vault= governor= and keep it up (docs/settlement.md)");
        out.println("  settlement demo [--seconds N] [--rpc URL]");
        out.println("        a node settling on a local chain: deposits, trades, withdrawals, batches, proofs, escape hatch;");
        out.println("        last line deposits_credited= withdrawals_paid= roots_posted= proofs= solvency= escape_hatch=");
        out.println("  verify-proof --address A --url NODE_URL --rpc RPC_URL [--vault V]");
        out.println("        check an address's proof from the node against the vault's committed root, and solvency;");
        out.println("        last line proof=ok|failed solvency=ok|failed (exit 1 on failure)");
        out.println("  bench replay [--commands N] [--seed N]");
        out.println("        write a journal of N engine commands, replay it into a fresh engine and print");
        out.println("        replay_commands_per_s=<int> as the last line");
        out.println("  bench journal [--commands N]");
        out.println("        journal append throughput with group commit and without");
        out.println("  replay --journal DIR [--to SEQ]");
        out.println("        replay a journal into a fresh engine; the last line is state_hash=<hex> commands=<int>");
        out.println("  verify --journal DIR [--signatures]");
        out.println("        check every record of a journal (and every request's signature); the last line is verify=ok ...");
        out.println("  node [--config FILE] [--http-port N] [--data-dir DIR]");
        out.println("        run the exchange: journaled engine and REST gateway on 127.0.0.1 (see docs/api.md)");
        out.println("  node --cluster HOST,HOST,HOST [--cluster-port-base P] [--client-id N] [--config FILE] ...");
        out.println("        run a gateway of a cluster: the same gateways over a replica it journals (see docs/cluster.md)");
        out.println("  load --url URL --seconds S [--connections N] [--window W] [--auth session|signed|none] [--max-orders N]");
        out.println("        WebSocket order entry (client library) against a node on loopback; the last line is");
        out.println("        orders_per_s=<int> p50_us=<int> p99_us=<int> errors=<int>");
        out.println("  cluster-node --id N --members HOST,HOST,HOST --dir DIR [--port-base P] [--tick-ms T] [--config FILE]");
        out.println("               [--snapshot-every-commands N] [--snapshot-every-seconds S] [--log-retain-snapshots K]");
        out.println("        run one member of a replicated cluster (Aeron Cluster, Raft) until Ctrl-C; see docs/cluster.md");
        out.println("  cluster-export --dir MEMBER_DIR --out JOURNAL_DIR");
        out.println("        write a stopped member's recorded log as a journal for replay and verify; the last line is");
        out.println("        state_hash=<hex> commands=<int>");
        out.println("  help  this text");
    }
}
