package io.meridian.engine;

import io.meridian.auth.Address;
import io.meridian.risk.Position;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What the venue owes each address in one asset, as the settlement layer commits it (docs/settlement.md, "Balance
 * roots"): for the address's account and each of its sub-accounts, the ledger balance plus the unrealised PnL of its
 * positions settled in the asset at their reference prices (mark, else last trade), floored at zero per account, summed.
 * That is what a user leaves with through the escape hatch: positions closed at the batch's marks.
 *
 * <p>Accounts without an address (the operator's numbered accounts, the insurance fund, the venue's system accounts)
 * are not in it: the vault owes them nothing on chain. Collateral in other assets is not netted: an account whose
 * balance in the asset is negative, backed by another asset, counts as zero here and keeps its other asset in that
 * asset's statement.
 *
 * <p>Engine thread (a replica's or a restored snapshot's engine, so the live one never pauses). O(accounts x
 * instruments); allocates.
 */
public final class SettlementStatement {
    /** One address's committed balance in the asset (minor units, >= 0). */
    public record Entry(Address address, long balance) {
    }

    private SettlementStatement() {
    }

    /**
     * Every address's committed balance in {@code asset}, sorted by address (its unsigned bytes, as hex sorts): the
     * leaf order.
     */
    static List<Entry> of(Markets markets, Authorisations authorisations, AccountsHandler accounts, int asset) {
        Map<Long, List<Long>> subaccounts = new java.util.HashMap<>();
        accounts.ownerOfMap().forEachLong((sub, owner) ->
                subaccounts.computeIfAbsent(owner, k -> new ArrayList<>()).add(sub));
        List<Integer> instruments = new ArrayList<>();
        for (int i = 0; i < markets.instrumentCount; i++) {
            int id = markets.instrumentIds[i];
            if (markets.clearings[id].asset() == asset) {
                instruments.add(id);
            }
        }
        List<Entry> out = new ArrayList<>();
        authorisations.forEachAddress((address, account) -> {
            long total = owed(markets, instruments, account, asset);
            for (long sub : subaccounts.getOrDefault(account, List.of())) {
                total = Math.addExact(total, owed(markets, instruments, sub, asset));
            }
            out.add(new Entry(address, total));
        });
        out.sort(Comparator.comparing(Entry::address));
        return out;
    }

    private static long owed(Markets markets, List<Integer> instruments, long account, int asset) {
        long equity = markets.ledger.balance(account, asset);
        for (int id : instruments) {
            Position position = markets.clearings[id].positions().position(account);
            if (position != null) {
                long price = markets.referencePrice(id);
                equity = Math.addExact(equity,
                        position.unrealizedPnl(price, markets.clearings[id].positions().minorUnitsPerTickLot()));
            }
        }
        return Math.max(0, equity);
    }
}
