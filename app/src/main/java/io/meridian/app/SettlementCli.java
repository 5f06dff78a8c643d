package io.meridian.app;

import io.meridian.settlement.Chain;
import io.meridian.settlement.LocalChain;
import io.meridian.settlement.VaultContracts;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian settlement chain [--seconds N]}: starts a local EVM chain (ganache, installed by the settlement
 * module's build from the npm registry) on loopback, deploys the dev settlement contracts (a TestUSD, the multisig
 * governor of dev keys 1-3 with 2 approvals and a 60 s timelock, and the vault operated by dev key 0 with a 600 s
 * forced-withdrawal delay), prints where they are, and keeps the chain up for N seconds (0: until Ctrl-C). The last line
 * is {@code rpc=<url> chain_id=<int> token=<address> vault=<address> governor=<address>}. Dev keys are derived from
 * public seeds ({@link LocalChain#key}): never use them where money is real. Exit codes: 0, 1 failed, 2 usage.
 */
@Command(name = "settlement", description = "Settlement on a chain: a local chain with the dev contracts, or the"
        + " whole settlement loop end to end (docs/settlement.md).",
        subcommands = {SettlementCli.ChainCommand.class, SettlementDemo.class})
final class SettlementCli extends Cli.Group {
    static int run(String[] args, PrintStream out, PrintStream err) {
        return Main.run(Cli.with(args, "settlement"), out, err);
    }

    /** {@code settlement chain}. */
    @Command(name = "chain", description = "Start a local EVM chain (ganache) on loopback with the dev settlement"
            + " contracts deployed, print rpc=<url> chain_id=<int> token= vault= governor= and keep it up.")
    static final class ChainCommand extends Cli.Command {
        @Option(names = "--seconds", paramLabel = "N", description = "how long to keep the chain up (default 0: until"
                + " Ctrl-C)")
        long seconds;

        @Override
        public Integer call() {
            if (seconds < 0) {
                throw usage("--seconds takes a whole number >= 0");
            }
            return chain(seconds, out, err);
        }
    }

    static int chain(long seconds, PrintStream out, PrintStream err) {
        try (LocalChain local = LocalChain.start(LocalChain.defaultContractsDir());
             Chain chain = new Chain(local.rpcUrl(), LocalChain.CHAIN_ID)) {
            Chain.Sender operator = chain.sender(LocalChain.keyBytes(0));
            List<String> owners = List.of(LocalChain.key(1).address().toChecksumHex(),
                    LocalChain.key(2).address().toChecksumHex(), LocalChain.key(3).address().toChecksumHex());
            VaultContracts venue = VaultContracts.deployDev(chain, operator, operator.address(), owners, 2, 60, 600);
            out.println("local chain up; operator (dev key 0) " + operator.address() + ", governor owners (dev keys 1-3) "
                    + String.join(", ", owners) + ", 2 approvals, 60 s timelock; forced withdrawals due in 600 s");
            out.println("rpc=" + local.rpcUrl() + " chain_id=" + LocalChain.CHAIN_ID + " token=" + venue.token()
                    + " vault=" + venue.vault() + " governor=" + venue.governor());
            out.flush();
            if (seconds == 0) {
                Thread.currentThread().join();
            } else {
                Thread.sleep(seconds * 1000);
            }
            return 0;
        } catch (IOException | Chain.ChainException e) {
            err.println("settlement chain: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
