package io.meridian.app.demo;

import io.meridian.auth.Address;
import io.meridian.client.ApiException;
import io.meridian.client.MeridianClient;
import io.meridian.node.settlement.SettlementLoop;

import java.io.PrintStream;

/**
 * How a demo wallet gets its first money: a dev deposit to its address, or with {@code --chain} a deposit into the vault
 * on the local chain, which the node credits after its confirmations ({@link #settle} waits for that). A wallet whose
 * account exists already (a rerun) is skipped. The demo's main thread only.
 */
final class DemoFunding {
    private final DemoChain chain;
    private final SettlementLoop loop;
    private final PrintStream out;

    /** Dev deposits when {@code chain} is null; else deposits into its vault, credited by {@code loop}. */
    DemoFunding(DemoChain chain, SettlementLoop loop, PrintStream out) {
        this.chain = chain;
        this.loop = loop;
        this.out = out;
    }

    /**
     * Funds the owner's address with {@code amount} USDC the first time. The owner's client reads with its read token:
     * 403 (or 404 on a node in auth mode open) means no account yet.
     */
    void fund(MeridianClient owner, String amount) {
        Address address = owner.signer().address();
        try {
            owner.account(address);
        } catch (ApiException notYet) {
            if (notYet.status() != 404 && notYet.status() != 403) {
                throw notYet;
            }
            if (chain == null) {
                owner.devDeposit(address, 0, amount);
            } else {
                chain.deposit(address, amount);
            }
        }
    }

    /** Returns once every wallet funded so far has its money (at once for dev deposits, which are applied on return). */
    void settle() throws InterruptedException {
        if (chain != null) {
            chain.awaitCredited(loop, out);
        }
    }
}
