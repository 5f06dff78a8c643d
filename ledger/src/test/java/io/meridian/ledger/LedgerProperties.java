package io.meridian.ledger;

import io.meridian.model.AssetSpec;
import io.meridian.model.PostingType;
import io.meridian.model.RejectReason;
import io.meridian.model.StateHasher;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

import static io.meridian.model.SystemAccounts.CLEARING;
import static io.meridian.model.SystemAccounts.EXTERNAL;
import static io.meridian.model.SystemAccounts.FEE_POOL;
import static io.meridian.model.SystemAccounts.INSURANCE_FUND;

/**
 * Property tests of {@link Ledger}: random scripts of deposits, withdrawals, transfers, the engine's system
 * postings (fees and rebates through FEE_POOL, realised PnL and funding to and from CLEARING, liquidation fees and
 * payouts of the INSURANCE_FUND, socialised losses, operator top-ups and sweeps through EXTERNAL), misused postings
 * and asset registrations, with a few accounts and assets so that balances meet, go negative and return to zero.
 * A naive reference (sorted maps, no incremental totals) runs alongside. Scripts come from jqwik's seeded
 * {@link Random}; jqwik prints the seed and the shrunk script on failure.
 *
 * <p>Checked after every operation:
 * <ul>
 * <li>the outcome (applied, or the exact reject reason, or a thrown misuse) is the reference's;</li>
 * <li>an applied operation emits exactly one {@code postingApplied} (or {@code assetAdded}) carrying the balances
 * after; a rejected or misused one emits nothing and leaves the state hash and the posting log unchanged;</li>
 * <li>conservation ({@link Ledger#isConserved()}), the incremental totals equal the recomputed sums
 * ({@link Ledger#recomputeSums()}), and net deposits, internal sums and every balance equal the reference's.</li>
 * </ul>
 * And over whole scripts: two ledgers fed the same script emit the same events and hash equal; a ledger that
 * reaches the same balances by a different history (other asset order, other postings, round trips through
 * accounts that end at zero, maps sized differently) hashes equal too: the hash depends on state, not history.
 */
class LedgerProperties {
    private static final int TRIES = 300;
    private static final int MAX_OPS = 250;
    /** Registered at the start; {@link #LATE_ASSET} may be registered by the script; {@link #NEVER_ASSET} never. */
    private static final int[] START_ASSETS = {0, 1, 5};
    private static final int LATE_ASSET = 2;
    private static final int NEVER_ASSET = 3;
    private static final int USERS = 5;
    private static final long[] SYSTEM = {EXTERNAL, FEE_POOL, INSURANCE_FUND, CLEARING};

    // ------------------------------------------------------------------------------------------------ properties

    @Property(tries = TRIES)
    void everyOperationConservesValueAndMatchesTheReference(@ForAll("scripts") List<Op> script) {
        new Run(1_024, 1_024).execute(script);
    }

    @Property(tries = 100)
    void sameScriptSameEventsAndHash(@ForAll("scripts") List<Op> script) {
        Run first = new Run(1_024, 1_024);
        first.execute(script);
        Run second = new Run(2, 4);
        second.execute(script);
        check(first.allEvents.equals(second.allEvents), "two runs of the same script emitted different events");
        check(hash(first.ledger) == hash(second.ledger), "two runs of the same script hash differently");
    }

    @Property(tries = 100)
    void hashDependsOnStateNotHistory(@ForAll("scripts") List<Op> script, @ForAll Random random) {
        Run run = new Run(1_024, 1_024);
        run.execute(script);
        Ledger rebuilt = rebuild(run.ledger, random);
        check(rebuilt.isConserved(), rebuilt.conservationReport());
        check(rebuilt.recomputeSums() == null, rebuilt.recomputeSums());
        for (int asset = 0; asset < Ledger.MAX_ASSETS; asset++) {
            if (run.ledger.asset(asset) != null) {
                check(balances(run.ledger, asset).equals(balances(rebuilt, asset)), "rebuilt balances differ");
                check(run.ledger.netDeposits(asset) == rebuilt.netDeposits(asset), "rebuilt net deposits differ");
            }
        }
        check(hash(run.ledger) == hash(rebuilt), "same state by another history must hash equal");
    }

    // ------------------------------------------------------------------------------------------------ scripts

    @Provide
    Arbitrary<List<Op>> scripts() {
        return Arbitraries.randomValue(LedgerProperties::randomOp).list().ofMinSize(1).ofMaxSize(MAX_OPS)
                .withSizeDistribution(RandomDistribution.uniform());
    }

    /**
     * One operation. {@code whole} replaces the amount at run time by what the source may give (its balance less
     * the reserve, at least 1 for postings), so that balances reach exactly zero and the maps shrink.
     */
    sealed interface Op permits Deposit, Withdraw, Transfer, Post, AddAsset {
    }

    record Deposit(long account, int asset, long amount) implements Op {
    }

    record Withdraw(long account, int asset, long amount, long reserved, boolean whole) implements Op {
    }

    record Transfer(long from, long to, int asset, long amount, long reserved, boolean whole) implements Op {
    }

    /** A direct posting; {@code misuse} marks one generated to break {@link Ledger#post}'s contract. */
    record Post(PostingType type, int asset, long from, long to, long amount, boolean whole, boolean misuse)
            implements Op {
    }

    record AddAsset(int id, String symbol, int scale) implements Op {
    }

    static Op randomOp(Random r) {
        int roll = r.nextInt(100);
        if (roll < 22) {
            return new Deposit(account(r), asset(r), amount(r));
        }
        if (roll < 36) {
            return new Withdraw(account(r), asset(r), amount(r), r.nextInt(3) == 0 ? r.nextInt(500) : 0,
                    r.nextInt(4) == 0);
        }
        if (roll < 50) {
            return new Transfer(account(r), account(r), asset(r), amount(r), r.nextInt(4) == 0 ? r.nextInt(300) : 0,
                    r.nextInt(4) == 0);
        }
        if (roll < 92) {
            return systemPost(r);
        }
        if (roll < 96) {
            return misusedPost(r);
        }
        int id = r.nextInt(4) == 0 ? NEVER_ASSET + Ledger.MAX_ASSETS : (r.nextBoolean() ? LATE_ASSET : 0);
        return new AddAsset(id, r.nextInt(3) == 0 ? "A0" : "A" + id, r.nextInt(4) == 0 ? 25 : r.nextInt(19));
    }

    /** A user account most of the time; now and then zero or a system account, which user commands refuse. */
    private static long account(Random r) {
        int roll = r.nextInt(20);
        if (roll == 0) {
            return 0;
        }
        if (roll == 1) {
            return SYSTEM[r.nextInt(SYSTEM.length)];
        }
        return 1 + r.nextInt(USERS);
    }

    private static int asset(Random r) {
        int roll = r.nextInt(20);
        if (roll == 0) {
            return NEVER_ASSET;
        }
        if (roll == 1) {
            return LATE_ASSET;
        }
        if (roll == 2) {
            return r.nextBoolean() ? -1 : Ledger.MAX_ASSETS;
        }
        return START_ASSETS[r.nextInt(START_ASSETS.length)];
    }

    private static long amount(Random r) {
        int roll = r.nextInt(30);
        if (roll == 0) {
            return 0;
        }
        if (roll == 1) {
            return -1 - r.nextInt(100);
        }
        if (roll == 2) {
            return 1 + r.nextInt(1_000_000_000);
        }
        return 1 + r.nextInt(1_000);
    }

    private static int knownAsset(Random r) {
        return START_ASSETS[r.nextInt(START_ASSETS.length)];
    }

    private static long user(Random r) {
        return 1 + r.nextInt(USERS);
    }

    /** The postings the engine's components make, with amounts that are always valid. */
    private static Post systemPost(Random r) {
        int asset = knownAsset(r);
        long user = user(r);
        long amount = 1 + r.nextInt(r.nextInt(5) == 0 ? 100_000 : 300);
        boolean whole = r.nextInt(6) == 0;
        switch (r.nextInt(12)) {
            case 0:
                return new Post(PostingType.TRADE_FEE, asset, user, FEE_POOL, amount, whole, false);
            case 1:
                return new Post(PostingType.MAKER_REBATE, asset, FEE_POOL, user, amount, whole, false);
            case 2:
                return new Post(PostingType.REALIZED_PNL, asset, CLEARING, user, amount, false, false);
            case 3:
                return new Post(PostingType.REALIZED_PNL, asset, user, CLEARING, amount, whole, false);
            case 4:
                return new Post(PostingType.FUNDING, asset, user, CLEARING, amount, whole, false);
            case 5:
                return new Post(PostingType.FUNDING, asset, CLEARING, user, amount, whole, false);
            case 6:
                return new Post(PostingType.LIQUIDATION_FEE, asset, user, INSURANCE_FUND, amount, whole, false);
            case 7:
                return new Post(PostingType.INSURANCE_FUND_PAYOUT, asset, INSURANCE_FUND, r.nextBoolean() ? user : CLEARING,
                        amount, whole, false);
            case 8:
                return new Post(PostingType.SOCIALIZED_LOSS, asset, user, CLEARING, amount, whole, false);
            case 9:
                return new Post(PostingType.DEPOSIT, asset, EXTERNAL, INSURANCE_FUND, amount, false, false);
            case 10:
                return new Post(PostingType.WITHDRAWAL, asset, FEE_POOL, EXTERNAL, amount, whole, false);
            default:
                long other = user(r);
                return new Post(PostingType.TRANSFER, asset, user, other == user ? user % USERS + 1 : other, amount,
                        whole, false);
        }
    }

    /** Postings that break the contract of {@link Ledger#post}: each must throw and change nothing. */
    private static Post misusedPost(Random r) {
        int asset = knownAsset(r);
        long user = user(r);
        switch (r.nextInt(7)) {
            case 0:
                return new Post(PostingType.TRADE_FEE, NEVER_ASSET, user, FEE_POOL, 1, false, true);
            case 1:
                return new Post(PostingType.TRADE_FEE, asset, user, FEE_POOL, -r.nextInt(3), false, true);
            case 2:
                return new Post(PostingType.TRANSFER, asset, user, user, 1, false, true);
            case 3:
                return new Post(PostingType.TRADE_FEE, asset, EXTERNAL, FEE_POOL, 1, false, true);
            case 4:
                return new Post(PostingType.DEPOSIT, asset, CLEARING, user, 1, false, true);
            case 5:
                return new Post(PostingType.REALIZED_PNL, asset, user, -9, 1, false, true);
            default:
                return new Post(PostingType.WITHDRAWAL, asset, user, 0, 1, false, true);
        }
    }

    // ------------------------------------------------------------------------------------------------ run

    /** A ledger, its recorder and the reference, driven through one script. */
    static final class Run {
        final EventRecorder recorder = new EventRecorder();
        final Ledger ledger;
        final Reference reference = new Reference();
        final List<Event> allEvents = new ArrayList<>();
        long sequence;

        Run(int expectedAccounts, int logCapacity) {
            ledger = new Ledger(recorder, expectedAccounts, logCapacity);
            for (int id : START_ASSETS) {
                check(ledger.addAsset(new AssetSpec(id, "A" + id, 6)) == null, "start asset");
                reference.assets.put(id, "A" + id);
            }
            recorder.clear();
        }

        void execute(List<Op> script) {
            for (Op op : script) {
                step(op);
            }
        }

        void step(Op op) {
            sequence++;
            ledger.setContext(sequence, sequence * 1_000);
            long hashBefore = hash(ledger);
            long loggedBefore = ledger.recentPostings().total();
            Outcome expected = reference.expect(op);
            Outcome actual = apply(op, expected.amount);
            List<Event> events = recorder.drain();
            allEvents.addAll(events);
            String where = " at op " + sequence + ": " + op;
            check(Objects.equals(expected.reject, actual.reject) && expected.misuse == actual.misuse,
                    "expected " + expected + " got " + actual + where);
            if (expected.reject != null || expected.misuse) {
                check(events.isEmpty(), "a refused operation emitted " + events + where);
                check(hash(ledger) == hashBefore, "a refused operation changed the state" + where);
                check(ledger.recentPostings().total() == loggedBefore, "a refused operation was logged" + where);
            } else {
                reference.apply(op, expected.amount);
                checkEvent(op, events, where);
            }
            check(ledger.isConserved(), ledger.conservationReport() + where);
            String recomputed = ledger.recomputeSums();
            check(recomputed == null, recomputed + where);
            reference.compare(ledger, where);
        }

        private void checkEvent(Op op, List<Event> events, String where) {
            check(events.size() == 1, "expected one event, got " + events + where);
            if (op instanceof AddAsset) {
                check(events.get(0) instanceof Event.AssetAdded, "expected assetAdded" + where);
                return;
            }
            Event.PostingApplied posting = (Event.PostingApplied) events.get(0);
            check(posting.sequence() == sequence && posting.timestamp() == sequence * 1_000, "context" + where);
            check(posting.amount() > 0, "non-positive amount" + where);
            check(posting.fromBalance() == ledger.balance(posting.fromAccount(), posting.asset())
                    && posting.toBalance() == ledger.balance(posting.toAccount(), posting.asset()),
                    "event balances are not the balances after" + where);
            PostingLog log = ledger.recentPostings();
            int newest = log.size() - 1;
            check(log.commandPostings() == 1 && log.sequence(newest) == sequence && log.type(newest) == posting.type()
                    && log.from(newest) == posting.fromAccount() && log.to(newest) == posting.toAccount()
                    && log.amount(newest) == posting.amount() && log.asset(newest) == posting.asset(),
                    "posting log disagrees with the event" + where);
        }

        private Outcome apply(Op op, long amount) {
            if (op instanceof Deposit d) {
                return Outcome.of(ledger.deposit(d.account(), d.asset(), amount));
            }
            if (op instanceof Withdraw w) {
                return Outcome.of(ledger.withdraw(w.account(), w.asset(), amount, w.reserved()));
            }
            if (op instanceof Transfer t) {
                return Outcome.of(ledger.transfer(t.from(), t.to(), t.asset(), amount, t.reserved()));
            }
            if (op instanceof AddAsset a) {
                return Outcome.of(ledger.addAsset(new AssetSpec(a.id(), a.symbol(), a.scale())));
            }
            Post p = (Post) op;
            try {
                ledger.post(p.type(), p.asset(), p.from(), p.to(), amount);
                return Outcome.of(null);
            } catch (IllegalArgumentException e) {
                return new Outcome(null, true, amount);
            }
        }
    }

    /** Applied ({@code reject == null && !misuse}), refused with a reason, or thrown as misuse. */
    record Outcome(RejectReason reject, boolean misuse, long amount) {
        static Outcome of(RejectReason reject) {
            return new Outcome(reject, false, 0);
        }
    }

    /**
     * The naive ledger: sorted maps of balances, sums recomputed from scratch, and every rule of the contract
     * written out once more in the plainest form.
     */
    static final class Reference {
        final TreeMap<Integer, String> assets = new TreeMap<>();
        final TreeMap<Integer, TreeMap<Long, Long>> balances = new TreeMap<>();
        final TreeMap<Integer, Long> netDeposits = new TreeMap<>();

        long balance(long account, int asset) {
            return balances.getOrDefault(asset, new TreeMap<>()).getOrDefault(account, 0L);
        }

        /** What the op should do; resolves a whole-balance amount against the current balances. */
        Outcome expect(Op op) {
            if (op instanceof Deposit d) {
                return new Outcome(userCommand(d.account(), d.asset(), d.amount()), false, d.amount());
            }
            if (op instanceof Withdraw w) {
                long amount = w.whole() ? balance(w.account(), w.asset()) - w.reserved() : w.amount();
                RejectReason reject = userCommand(w.account(), w.asset(), amount);
                if (reject == null && balance(w.account(), w.asset()) - w.reserved() < amount) {
                    reject = RejectReason.INSUFFICIENT_BALANCE;
                }
                return new Outcome(reject, false, amount);
            }
            if (op instanceof Transfer t) {
                long amount = t.whole() ? balance(t.from(), t.asset()) - t.reserved() : t.amount();
                RejectReason reject = null;
                if (t.from() <= 0 || t.to() <= 0 || t.from() == t.to()) {
                    reject = RejectReason.INVALID_TRANSFER;
                } else if (!assets.containsKey(t.asset())) {
                    reject = RejectReason.UNKNOWN_ASSET;
                } else if (amount <= 0) {
                    reject = RejectReason.INVALID_AMOUNT;
                } else if (balance(t.from(), t.asset()) - t.reserved() < amount) {
                    reject = RejectReason.INSUFFICIENT_BALANCE;
                }
                return new Outcome(reject, false, amount);
            }
            if (op instanceof AddAsset a) {
                RejectReason reject = null;
                if (a.id() >= Ledger.MAX_ASSETS || a.scale() > 18) {
                    reject = RejectReason.INVALID_ASSET;
                } else if (assets.containsKey(a.id()) || assets.containsValue(a.symbol())) {
                    reject = RejectReason.ASSET_EXISTS;
                }
                return Outcome.of(reject);
            }
            Post p = (Post) op;
            long amount = p.whole() ? Math.max(1, balance(p.from(), p.asset())) : p.amount();
            return new Outcome(null, p.misuse(), amount);
        }

        private RejectReason userCommand(long account, int asset, long amount) {
            if (account <= 0) {
                return RejectReason.INVALID_ACCOUNT;
            }
            if (!assets.containsKey(asset)) {
                return RejectReason.UNKNOWN_ASSET;
            }
            return amount <= 0 ? RejectReason.INVALID_AMOUNT : null;
        }

        void apply(Op op, long amount) {
            if (op instanceof AddAsset a) {
                assets.put(a.id(), a.symbol());
            } else if (op instanceof Deposit d) {
                move(d.asset(), EXTERNAL, d.account(), amount, 1);
            } else if (op instanceof Withdraw w) {
                move(w.asset(), w.account(), EXTERNAL, amount, -1);
            } else if (op instanceof Transfer t) {
                move(t.asset(), t.from(), t.to(), amount, 0);
            } else {
                Post p = (Post) op;
                int sign = p.type() == PostingType.DEPOSIT ? 1 : p.type() == PostingType.WITHDRAWAL ? -1 : 0;
                move(p.asset(), p.from(), p.to(), amount, sign);
            }
        }

        private void move(int asset, long from, long to, long amount, int depositSign) {
            TreeMap<Long, Long> book = balances.computeIfAbsent(asset, a -> new TreeMap<>());
            book.merge(from, -amount, Long::sum);
            book.merge(to, amount, Long::sum);
            book.values().removeIf(v -> v == 0);
            netDeposits.merge(asset, depositSign * amount, Long::sum);
        }

        void compare(Ledger ledger, String where) {
            for (int asset = -1; asset <= Ledger.MAX_ASSETS; asset++) {
                boolean known = assets.containsKey(asset);
                check(known == (ledger.asset(asset) != null), "asset " + asset + " registration" + where);
                if (!known) {
                    continue;
                }
                TreeMap<Long, Long> expected = balances.getOrDefault(asset, new TreeMap<>());
                TreeMap<Long, Long> actual = balances(ledger, asset);
                if (!expected.equals(actual)) {
                    throw new AssertionError("asset " + asset + " balances " + actual + " expected " + expected + where);
                }
                long internal = 0;
                for (Map.Entry<Long, Long> e : expected.entrySet()) {
                    internal += e.getKey() == EXTERNAL ? 0 : e.getValue();
                }
                long net = netDeposits.getOrDefault(asset, 0L);
                check(ledger.netDeposits(asset) == net && ledger.sumOfInternalAccounts(asset) == internal
                        && internal == net, "asset " + asset + " totals" + where);
                check(ledger.nonZeroBalances(asset) == expected.size(), "live balance count" + where);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ rebuild

    /**
     * A ledger with the same assets and balances as {@code source} reached by another history: assets registered in
     * reverse id order, maps sized to grow, round trips through accounts that end at zero, every balance set by a
     * posting against CLEARING in random order, the net deposits last, and CLEARING left with exactly its balance.
     */
    static Ledger rebuild(Ledger source, Random random) {
        Ledger target = new Ledger(new EventRecorder(), 2, 8);
        target.setContext(1, 1);
        for (int asset = Ledger.MAX_ASSETS - 1; asset >= 0; asset--) {
            AssetSpec spec = source.asset(asset);
            if (spec != null) {
                check(target.addAsset(spec) == null, "re-adding " + spec);
            }
        }
        for (int asset = 0; asset < Ledger.MAX_ASSETS; asset++) {
            if (source.asset(asset) == null) {
                continue;
            }
            for (int i = 0; i < 20; i++) {
                long account = 100 + random.nextInt(50);
                long amount = 1 + random.nextInt(1_000);
                target.post(PostingType.REALIZED_PNL, asset, CLEARING, account, amount);
                target.post(PostingType.FUNDING, asset, account, FEE_POOL, amount);
                target.post(PostingType.MAKER_REBATE, asset, FEE_POOL, CLEARING, amount);
            }
            List<long[]> entries = new ArrayList<>();
            source.forEachBalance(asset, (account, balance) -> entries.add(new long[] {account, balance}));
            Collections.shuffle(entries, random);
            for (long[] entry : entries) {
                long account = entry[0];
                long balance = entry[1];
                if (account == EXTERNAL || account == CLEARING) {
                    continue;
                }
                if (balance > 0) {
                    target.post(PostingType.REALIZED_PNL, asset, CLEARING, account, balance);
                } else {
                    target.post(PostingType.REALIZED_PNL, asset, account, CLEARING, -balance);
                }
            }
            long net = source.netDeposits(asset);
            if (net > 0) {
                target.post(PostingType.DEPOSIT, asset, EXTERNAL, CLEARING, net);
            } else if (net < 0) {
                target.post(PostingType.WITHDRAWAL, asset, CLEARING, EXTERNAL, -net);
            }
        }
        return target;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static long hash(Ledger ledger) {
        StateHasher hasher = new StateHasher();
        ledger.hashState(hasher);
        return hasher.value();
    }

    static TreeMap<Long, Long> balances(Ledger ledger, int asset) {
        TreeMap<Long, Long> result = new TreeMap<>();
        ledger.forEachBalance(asset, (account, balance) -> {
            if (result.put(account, balance) != null || balance == 0) {
                throw new AssertionError("account " + account + " visited twice or with a zero balance");
            }
        });
        return result;
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
