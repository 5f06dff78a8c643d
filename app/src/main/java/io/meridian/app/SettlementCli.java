package io.meridian.app;

import io.meridian.settlement.Chain;
import io.meridian.settlement.LocalChain;
import io.meridian.settlement.VaultContracts;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code meridian settlement chain [--seconds N]}: starts a local EVM chain (ganache, installed by the settlement
 * module's build from the npm registry) on loopback, deploys the dev settlement contracts (a TestUSD, the multisig
 * governor of dev keys 1-3 with 2 approvals and a 60 s timelock, and the vault operated by dev key 0 with a 600 s
 * forced-withdrawal delay), prints where they are, and keeps the chain up for N seconds (0: until Ctrl-C). The last line
 * is {@code rpc=<url> chain_id=<int> token=<address> vault=<address> governor=<address>}. Dev keys are derived from
 * public seeds ({@link LocalChain#key}): never use them where money is real. Exit codes: 0, 1 failed, 2 usage.
 */
final class SettlementCli {
    private SettlementCli() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("demo")) {
            return SettlementDemo.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length == 0 || !args[0].equals("chain")) {
            err.println(usage());
            return 2;
        }
        long seconds = 0;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--seconds") && i + 1 < args.length) {
                try {
                    seconds = Long.parseLong(args[++i]);
                } catch (NumberFormatException e) {
                    seconds = -1;
                }
                if (seconds < 0) {
                    err.println("settlement chain: --seconds takes a whole number >= 0");
                    return 2;
                }
            } else {
                err.println("settlement chain: unknown option " + args[i]);
                err.println(usage());
                return 2;
            }
        }
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

    static String usage() {
        return "usage: meridian settlement chain [--seconds N] | settlement demo [--seconds N] [--rpc URL]";
    }
}
