package io.meridian.ledger;

import io.meridian.model.AssetSpec;
import io.meridian.model.EngineEvents;
import io.meridian.model.PostingType;
import io.meridian.model.RejectReason;
import io.meridian.model.StateHasher;
import io.meridian.model.SystemAccounts;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.model.snapshot.SpecCodec;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;
import java.util.Objects;

/**
 * The venue's double-entry ledger: registered assets and, per asset, the balance of every account in minor units.
 * Value only ever moves by a posting from one account to another, so per asset the balances of all accounts,
 * {@link SystemAccounts#EXTERNAL} included, sum to zero, and all accounts but EXTERNAL sum to deposits minus
 * withdrawals. The ledger never rounds: callers pass exact minor units, rounded in the venue's favour beforehand.
 *
 * <p><b>Purity and threading.</b> Single-threaded and pure: no clock (the caller passes each command's sequence and
 * timestamp through {@link #setContext}), no I/O, no threads, no locks; every method must be called on the one
 * engine thread. Every change is reported synchronously to the {@link EngineEvents} listener.
 *
 * <p><b>Two layers.</b> {@link #post} is the primitive the engine's components use for fees, PnL, funding,
 * liquidation and insurance flows: it trusts its caller, who has already decided the posting is right, and treats
 * misuse as a bug ({@link IllegalArgumentException}). {@link #deposit}, {@link #withdraw} and {@link #transfer} serve
 * user commands: they check everything, return a {@link RejectReason} and apply all or nothing. None of them emits
 * {@code commandRejected}: the engine does, because it knows the command.
 *
 * <p><b>What the ledger does not decide.</b> Balances may go negative, for system accounts (CLEARING pays profits
 * before the losing side has closed; EXTERNAL is minus the net deposits) and for user accounts (a loss beyond the
 * collateral, resolved later by liquidation and the insurance fund). The ledger records; the risk engine decides
 * what may be posted. Only the user commands check balances, because only they move value at a user's request.
 *
 * <p><b>Garbage-free.</b> Balances live in one open-addressing {@link Long2LongHashMap} per asset. A zero balance is
 * removed, so a map holds exactly the accounts with a non-zero balance. Once the maps have grown to the number of
 * live accounts, postings, the user commands and {@link #hashState} allocate nothing. Totals are kept incrementally
 * so that the conservation checks are O(assets), not O(accounts).
 */
public final class Ledger implements LedgerView {
    /** Asset ids are dense, from 0 to {@code MAX_ASSETS - 1}: per-asset state is a plain array indexed by id. */
    public static final int MAX_ASSETS = 1024;
    public static final int DEFAULT_EXPECTED_ACCOUNTS = 1024;
    public static final int DEFAULT_LOG_CAPACITY = 1024;

    private static final float LOAD_FACTOR = 0.65f;

    private final EngineEvents events;
    private final int expectedAccounts;
    private final AssetSpec[] assets = new AssetSpec[MAX_ASSETS];
    private final Long2LongHashMap[] balances = new Long2LongHashMap[MAX_ASSETS];
    /** Per asset: minor units posted as DEPOSIT minus those posted as WITHDRAWAL (kept by posting type). */
    private final long[] netDeposits = new long[MAX_ASSETS];
    /**
     * Per asset: the sum of every balance except EXTERNAL's (kept by account: what entered from EXTERNAL minus what
     * left to it). Kept apart from {@link #netDeposits} on purpose, so that the conservation check compares two
     * independent bookkeepings and the EXTERNAL balance, not one number with itself.
     */
    private final long[] internalSums = new long[MAX_ASSETS];
    private final PostingLog log;

    private int assetCount;
    private long sequence;
    private long timestamp;
    /** Scratch for sorting account ids in {@link #hashState}; grows to the largest asset's account count, then stays. */
    private long[] sortScratch = new long[64];

    /**
     * @param events           receives every event, on the calling thread
     * @param expectedAccounts accounts per asset the balance maps are sized for before they first grow
     * @param logCapacity      postings kept in {@link #recentPostings()} (rounded up to a power of two)
     */
    public Ledger(EngineEvents events, int expectedAccounts, int logCapacity) {
        this.events = Objects.requireNonNull(events, "events");
        if (expectedAccounts < 1) {
            throw new IllegalArgumentException("expectedAccounts must be positive, was " + expectedAccounts);
        }
        this.expectedAccounts = expectedAccounts;
        this.log = new PostingLog(logCapacity);
    }

    public Ledger(EngineEvents events) {
        this(events, DEFAULT_EXPECTED_ACCOUNTS, DEFAULT_LOG_CAPACITY);
    }

    /**
     * Sets the sequence number and timestamp that every event of the next calls carries, and starts a new command
     * in {@link #recentPostings()} when the sequence differs from the previous one.
     */
    public void setContext(long sequence, long timestamp) {
        this.sequence = sequence;
        this.timestamp = timestamp;
        log.startCommand(sequence);
    }

    // ------------------------------------------------------------------------------------------------ assets

    /**
     * Registers an asset so that it can be deposited and posted. Checks, in order: the spec is present and valid
     * ({@link AssetSpec#validate()}) with an id below {@link #MAX_ASSETS}, else {@code INVALID_ASSET}; no asset has
     * this id or this symbol (symbols name assets at the edge, so they must be unique too), else
     * {@code ASSET_EXISTS}. On success emits {@code assetAdded}; on a reject emits nothing and changes nothing.
     *
     * @return null when added, else the reason
     */
    public RejectReason addAsset(AssetSpec spec) {
        if (spec == null || spec.validate() != null || spec.id() >= MAX_ASSETS) {
            return RejectReason.INVALID_ASSET;
        }
        if (assets[spec.id()] != null) {
            return RejectReason.ASSET_EXISTS;
        }
        for (AssetSpec existing : assets) {
            if (existing != null && existing.symbol().equals(spec.symbol())) {
                return RejectReason.ASSET_EXISTS;
            }
        }
        assets[spec.id()] = spec;
        balances[spec.id()] = new Long2LongHashMap(expectedAccounts, LOAD_FACTOR, 0L);
        assetCount++;
        events.assetAdded(sequence, timestamp, spec);
        return null;
    }

    /** The asset with this id, or null when none is registered (any int is accepted). */
    @Override
    public AssetSpec asset(int id) {
        return isAsset(id) ? assets[id] : null;
    }

    /** Number of registered assets; their ids are some of {@code 0 .. MAX_ASSETS - 1}. */
    public int assetCount() {
        return assetCount;
    }

    // ------------------------------------------------------------------------------------------------ balances

    /**
     * The balance of {@code account} in {@code asset}, in minor units; 0 for an account that never held it and for
     * an unknown asset (a query is total). System accounts are negative ids ({@link SystemAccounts}).
     */
    @Override
    public long balance(long account, int asset) {
        return isAsset(asset) ? balances[asset].get(account) : 0;
    }

    /** Number of accounts (system accounts included) holding a non-zero balance of {@code asset}; 0 if unknown. */
    public int nonZeroBalances(int asset) {
        return isAsset(asset) ? balances[asset].size() : 0;
    }

    /**
     * Calls {@code visitor} once per account with a non-zero balance of {@code asset}, in ascending account order
     * (system accounts first, being negative); nothing for an unknown asset. The balances are copied before the
     * first call, so the visitor sees the state at the time of the call even if it posts. Allocates: a tool path
     * (snapshots, reports), not for the hot path.
     */
    public void forEachBalance(int asset, BalanceVisitor visitor) {
        if (!isAsset(asset)) {
            return;
        }
        Long2LongHashMap map = balances[asset];
        long[] accounts = sortedAccounts(map, new long[map.size()]);
        long[] values = new long[accounts.length];
        for (int i = 0; i < accounts.length; i++) {
            values[i] = map.get(accounts[i]);
        }
        for (int i = 0; i < accounts.length; i++) {
            visitor.visit(accounts[i], values[i]);
        }
    }

    // ------------------------------------------------------------------------------------------------ postings

    /**
     * Moves {@code amount} minor units of {@code asset} from {@code from} to {@code to} for {@code type}, and emits
     * {@code postingApplied} with both balances after the move. No balance check: the caller (risk, clearing,
     * liquidation) has decided the posting is due, and either balance may go negative.
     *
     * <p>Misuse is a bug in the caller and throws {@link IllegalArgumentException} with nothing applied: a null
     * type, an unknown asset, {@code amount <= 0}, {@code from == to}, an account that is neither a user account
     * ({@code > 0}) nor one of the {@link SystemAccounts}, or a posting that touches EXTERNAL other than as the
     * source of a DEPOSIT or the destination of a WITHDRAWAL (and DEPOSIT and WITHDRAWAL must touch it): that rule
     * is what makes value entering or leaving the venue always a deposit or a withdrawal, never a stray posting.
     * A balance or total that would overflow a long throws {@link ArithmeticException}, also with nothing applied.
     */
    public void post(PostingType type, int asset, long from, long to, long amount) {
        String misuse = misuse(type, asset, from, to, amount);
        if (misuse != null) {
            throw new IllegalArgumentException(misuse);
        }
        apply(type, asset, from, to, amount);
    }

    /**
     * Credits a user's deposit: posts DEPOSIT from EXTERNAL to {@code account}. Checks, in order: the account is a
     * user account ({@code > 0}), else {@code INVALID_ACCOUNT}; the asset is registered, else {@code UNKNOWN_ASSET};
     * {@code amount > 0}, else {@code INVALID_AMOUNT}; no balance or total would overflow, else
     * {@code NUMBER_OUT_OF_RANGE}. On success emits one {@code postingApplied}; on a reject emits nothing and
     * changes nothing.
     *
     * @return null when applied, else the reason
     */
    public RejectReason deposit(long account, int asset, long amount) {
        if (account <= 0) {
            return RejectReason.INVALID_ACCOUNT;
        }
        RejectReason reject = checkAssetAndAmount(asset, amount);
        if (reject != null) {
            return reject;
        }
        if (!fits(PostingType.DEPOSIT, asset, SystemAccounts.EXTERNAL, account, amount)) {
            return RejectReason.NUMBER_OUT_OF_RANGE;
        }
        apply(PostingType.DEPOSIT, asset, SystemAccounts.EXTERNAL, account, amount);
        return null;
    }

    /**
     * Pays out a user's withdrawal: posts WITHDRAWAL from {@code account} to EXTERNAL. {@code reserved} is what the
     * risk engine needs the account to keep (margin, open-order holds); the ledger only enforces it. Checks, in
     * order: account ({@code INVALID_ACCOUNT}), asset ({@code UNKNOWN_ASSET}), amount ({@code INVALID_AMOUNT}), then
     * {@code balance - reserved >= amount}, else {@code INSUFFICIENT_BALANCE} (a negative balance never covers
     * anything), then overflow of the totals ({@code NUMBER_OUT_OF_RANGE}). On success emits one
     * {@code postingApplied}; on a reject emits nothing and changes nothing.
     *
     * @param reserved minor units that must stay in the account; a negative value is a bug and throws
     *                 {@link IllegalArgumentException}
     * @return null when applied, else the reason
     */
    public RejectReason withdraw(long account, int asset, long amount, long reserved) {
        requireReserved(reserved);
        if (account <= 0) {
            return RejectReason.INVALID_ACCOUNT;
        }
        RejectReason reject = checkAssetAndAmount(asset, amount);
        if (reject != null) {
            return reject;
        }
        if (!covers(balances[asset].get(account), reserved, amount)) {
            return RejectReason.INSUFFICIENT_BALANCE;
        }
        if (!fits(PostingType.WITHDRAWAL, asset, account, SystemAccounts.EXTERNAL, amount)) {
            return RejectReason.NUMBER_OUT_OF_RANGE;
        }
        apply(PostingType.WITHDRAWAL, asset, account, SystemAccounts.EXTERNAL, amount);
        return null;
    }

    /** {@link #transfer(long, long, int, long, long)} with nothing reserved. */
    public RejectReason transfer(long from, long to, int asset, long amount) {
        return transfer(from, to, asset, amount, 0);
    }

    /**
     * Moves value between two user accounts (sub-accounts of one owner; the caller checks ownership): posts
     * TRANSFER from {@code from} to {@code to}. Checks, in order: both are user accounts ({@code > 0}) and differ,
     * else {@code INVALID_TRANSFER}; asset ({@code UNKNOWN_ASSET}); amount ({@code INVALID_AMOUNT});
     * {@code balance(from) - reserved >= amount}, else {@code INSUFFICIENT_BALANCE}; the destination balance would
     * not overflow, else {@code NUMBER_OUT_OF_RANGE}. On success emits one {@code postingApplied}; on a reject emits
     * nothing and changes nothing.
     *
     * @param reserved minor units that must stay in {@code from} (its margin); negative is a bug and throws
     *                 {@link IllegalArgumentException}
     * @return null when applied, else the reason
     */
    public RejectReason transfer(long from, long to, int asset, long amount, long reserved) {
        requireReserved(reserved);
        if (from <= 0 || to <= 0 || from == to) {
            return RejectReason.INVALID_TRANSFER;
        }
        RejectReason reject = checkAssetAndAmount(asset, amount);
        if (reject != null) {
            return reject;
        }
        if (!covers(balances[asset].get(from), reserved, amount)) {
            return RejectReason.INSUFFICIENT_BALANCE;
        }
        if (!fits(PostingType.TRANSFER, asset, from, to, amount)) {
            return RejectReason.NUMBER_OUT_OF_RANGE;
        }
        apply(PostingType.TRANSFER, asset, from, to, amount);
        return null;
    }

    /**
     * The postings most recently applied, newest last, including those of the current command; a window of fixed
     * capacity, not part of the state. The same object for the ledger's lifetime; read it on the engine thread.
     */
    public PostingLog recentPostings() {
        return log;
    }

    // ------------------------------------------------------------------------------------------------ conservation

    /** Minor units of {@code asset} deposited minus withdrawn, over the ledger's life; 0 for an unknown asset. */
    @Override
    public long netDeposits(int asset) {
        return isAsset(asset) ? netDeposits[asset] : 0;
    }

    /** Sum of the balances of every account except EXTERNAL, from the incremental total: O(1); 0 if unknown. */
    public long sumOfInternalAccounts(int asset) {
        return isAsset(asset) ? internalSums[asset] : 0;
    }

    /**
     * True when, for every asset, the balances of all accounts sum to zero (EXTERNAL + internal = 0) and the
     * internal sum equals the net deposits. O(assets), from the incremental totals; {@link #recomputeSums()} proves
     * those totals against the balances themselves.
     */
    @Override
    public boolean isConserved() {
        for (int id = 0; id < MAX_ASSETS; id++) {
            if (assets[id] != null && !isConserved(id)) {
                return false;
            }
        }
        return true;
    }

    /** A description of every conservation violation, or "conserved (n assets)"; allocates, for test messages. */
    @Override
    public String conservationReport() {
        StringBuilder report = new StringBuilder();
        for (int id = 0; id < MAX_ASSETS; id++) {
            if (assets[id] != null && !isConserved(id)) {
                long external = balances[id].get(SystemAccounts.EXTERNAL);
                report.append("asset ").append(id).append(' ').append(assets[id].symbol())
                        .append(": external ").append(external)
                        .append(" + internal ").append(internalSums[id])
                        .append(" = ").append(external + internalSums[id]).append(" (must be 0); internal ")
                        .append(internalSums[id]).append(" vs net deposits ").append(netDeposits[id])
                        .append(" (must be equal)\n");
            }
        }
        return report.length() == 0 ? "conserved (" + assetCount + " assets)" : report.toString();
    }

    /**
     * The slow check behind the fast one: for every asset, sums the balances themselves (O(accounts)) and compares
     * them with the incremental totals and with conservation: sum over all accounts = 0, sum over all but EXTERNAL =
     * {@link #sumOfInternalAccounts} = {@link #netDeposits}, and no zero balance stored. Sums are exact
     * ({@link Math#addExact}). For tests and audits.
     *
     * @return null when everything agrees, else a description of each difference
     */
    @Override
    public String recomputeSums() {
        StringBuilder report = new StringBuilder();
        for (int id = 0; id < MAX_ASSETS; id++) {
            if (assets[id] == null) {
                continue;
            }
            long all = 0;
            long internal = 0;
            int zeros = 0;
            Long2LongHashMap.EntryIterator entries = balances[id].entrySet().iterator();
            while (entries.hasNext()) {
                entries.next();
                long account = entries.getLongKey();
                long balance = entries.getLongValue();
                all = Math.addExact(all, balance);
                if (account != SystemAccounts.EXTERNAL) {
                    internal = Math.addExact(internal, balance);
                }
                if (balance == 0) {
                    zeros++;
                }
            }
            if (all != 0 || internal != internalSums[id] || internal != netDeposits[id] || zeros != 0) {
                report.append("asset ").append(id).append(": recomputed sum of all accounts ").append(all)
                        .append(" (must be 0), recomputed internal ").append(internal)
                        .append(", incremental internal ").append(internalSums[id])
                        .append(", net deposits ").append(netDeposits[id])
                        .append(", stored zero balances ").append(zeros).append('\n');
            }
        }
        return report.length() == 0 ? null : report.toString();
    }

    // ------------------------------------------------------------------------------------------------ state

    /**
     * Feeds the state into {@code hasher}: the asset count, then per asset in id order its id, symbol, scale and net
     * deposits, the number of non-zero balances and each (account, balance) by ascending account. History (the
     * posting log, the order of insertion, the maps' layout) does not enter, so two ledgers with the same assets
     * and balances hash equal however they got there. Allocation-free once the scratch array has grown.
     */
    public void hashState(StateHasher hasher) {
        hasher.add(assetCount);
        for (int id = 0; id < MAX_ASSETS; id++) {
            AssetSpec spec = assets[id];
            if (spec == null) {
                continue;
            }
            Long2LongHashMap map = balances[id];
            hasher.add(id).add(spec.symbol()).add(spec.scale()).add(netDeposits[id]);
            int n = map.size();
            if (sortScratch.length < n) {
                sortScratch = new long[Math.max(n, sortScratch.length * 2)];
            }
            long[] accounts = sortedAccounts(map, sortScratch);
            hasher.add(n);
            for (int i = 0; i < n; i++) {
                hasher.add(accounts[i]).add(map.get(accounts[i]));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ internals

    private boolean isAsset(int id) {
        return id >= 0 && id < MAX_ASSETS && assets[id] != null;
    }

    private boolean isConserved(int asset) {
        long internal = internalSums[asset];
        return balances[asset].get(SystemAccounts.EXTERNAL) + internal == 0 && internal == netDeposits[asset];
    }

    private RejectReason checkAssetAndAmount(int asset, long amount) {
        if (!isAsset(asset)) {
            return RejectReason.UNKNOWN_ASSET;
        }
        if (amount <= 0) {
            return RejectReason.INVALID_AMOUNT;
        }
        return null;
    }

    private static void requireReserved(long reserved) {
        if (reserved < 0) {
            throw new IllegalArgumentException("reserved must not be negative, was " + reserved);
        }
    }

    /** {@code balance - reserved >= amount}, written so that it cannot overflow (reserved >= 0, amount > 0). */
    private static boolean covers(long balance, long reserved, long amount) {
        return reserved <= balance && balance - reserved >= amount;
    }

    /** Whether {@link #apply} would complete without overflow: the pre-check that lets user commands reject. */
    private boolean fits(PostingType type, int asset, long from, long to, long amount) {
        Long2LongHashMap map = balances[asset];
        if (map.get(from) < Long.MIN_VALUE + amount || map.get(to) > Long.MAX_VALUE - amount) {
            return false;
        }
        if (type == PostingType.DEPOSIT) {
            return netDeposits[asset] <= Long.MAX_VALUE - amount && internalSums[asset] <= Long.MAX_VALUE - amount;
        }
        if (type == PostingType.WITHDRAWAL) {
            return netDeposits[asset] >= Long.MIN_VALUE + amount && internalSums[asset] >= Long.MIN_VALUE + amount;
        }
        return true;
    }

    /** Null when {@link #post} may apply the posting, else what is wrong with it. Allocates only on misuse. */
    private String misuse(PostingType type, int asset, long from, long to, long amount) {
        if (type == null) {
            return "posting type is null";
        }
        if (!isAsset(asset)) {
            return "unknown asset " + asset + " in " + type + " posting";
        }
        if (amount <= 0) {
            return type + " posting amount must be positive, was " + amount;
        }
        if (from == to) {
            return type + " posting from account " + from + " to itself";
        }
        if (!isKnownAccount(from) || !isKnownAccount(to)) {
            return type + " posting names account " + (isKnownAccount(from) ? to : from)
                    + ", neither a user account (> 0) nor a system account";
        }
        boolean deposit = type == PostingType.DEPOSIT;
        boolean withdrawal = type == PostingType.WITHDRAWAL;
        if (deposit != (from == SystemAccounts.EXTERNAL) || withdrawal != (to == SystemAccounts.EXTERNAL)) {
            return type + " posting " + SystemAccounts.name(from) + " -> " + SystemAccounts.name(to)
                    + ": only DEPOSIT may come from external and only WITHDRAWAL may go to it, and they must";
        }
        return null;
    }

    private static boolean isKnownAccount(long account) {
        return account > 0 || account == SystemAccounts.EXTERNAL || account == SystemAccounts.FEE_POOL
                || account == SystemAccounts.INSURANCE_FUND || account == SystemAccounts.CLEARING;
    }

    /** Applies a posting already checked for misuse. Every new value is computed before any is written. */
    private void apply(PostingType type, int asset, long from, long to, long amount) {
        Long2LongHashMap map = balances[asset];
        long fromBalance = Math.subtractExact(map.get(from), amount);
        long toBalance = Math.addExact(map.get(to), amount);
        long net = netDeposits[asset];
        if (type == PostingType.DEPOSIT) {
            net = Math.addExact(net, amount);
        } else if (type == PostingType.WITHDRAWAL) {
            net = Math.subtractExact(net, amount);
        }
        long internal = internalSums[asset];
        if (from == SystemAccounts.EXTERNAL) {
            internal = Math.addExact(internal, amount);
        } else if (to == SystemAccounts.EXTERNAL) {
            internal = Math.subtractExact(internal, amount);
        }
        store(map, from, fromBalance);
        store(map, to, toBalance);
        netDeposits[asset] = net;
        internalSums[asset] = internal;
        log.append(sequence, type, asset, from, to, amount);
        events.postingApplied(sequence, timestamp, type, asset, from, to, amount, fromBalance, toBalance);
    }

    /** Zero is the map's missing value: removing it keeps the map to live balances (and Agrona refuses to store it). */
    private static void store(Long2LongHashMap map, long account, long balance) {
        if (balance == 0) {
            map.remove(account);
        } else {
            map.put(account, balance);
        }
    }

    /** Copies the map's keys into {@code into} (at least {@code map.size()} long) and sorts that prefix. */
    private static long[] sortedAccounts(Long2LongHashMap map, long[] into) {
        int n = 0;
        Long2LongHashMap.KeyIterator keys = map.keySet().iterator();
        while (keys.hasNext()) {
            into[n++] = keys.nextValue();
        }
        Arrays.sort(into, 0, n);
        return into;
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /** Format version of {@link #writeSnapshot}; a reader for every earlier version stays in {@link #readSnapshot}. */
    public static final int SNAPSHOT_VERSION = 1;

    /**
     * Writes the ledger's state (version {@value #SNAPSHOT_VERSION}): the context (sequence, timestamp), then per asset
     * in id order its spec, net deposits, internal sum and every non-zero balance (account, balance; in map order).
     * The posting log is a window for tools, not state, and is not written.
     */
    public void writeSnapshot(SnapshotWriter out) {
        out.writeVarLong(sequence);
        out.writeVarLong(timestamp);
        out.writeCount(assetCount);
        for (int id = 0; id < MAX_ASSETS; id++) {
            if (assets[id] == null) {
                continue;
            }
            SpecCodec.writeAsset(out, assets[id]);
            out.writeVarLong(netDeposits[id]);
            out.writeVarLong(internalSums[id]);
            Long2LongHashMap map = balances[id];
            out.writeCount(map.size());
            map.forEachLong((account, balance) -> {
                out.writeVarLong(account);
                out.writeVarLong(balance);
            });
        }
    }

    /**
     * Restores what {@link #writeSnapshot} wrote into this ledger, which must be new (no asset added), without events.
     * Refuses an asset id out of range or twice, a symbol twice, a zero balance or an account twice.
     */
    public void readSnapshot(SnapshotReader in) {
        if (assetCount != 0) {
            throw new IllegalStateException("a snapshot is restored into a new ledger only");
        }
        sequence = in.readVarLong();
        timestamp = in.readVarLong();
        int count = in.readCount(6);
        for (int i = 0; i < count; i++) {
            AssetSpec spec = SpecCodec.readAsset(in);
            if (spec.id() >= MAX_ASSETS || assets[spec.id()] != null) {
                throw in.fail("asset " + spec.id() + " is out of range or there twice");
            }
            for (AssetSpec existing : assets) {
                if (existing != null && existing.symbol().equals(spec.symbol())) {
                    throw in.fail("asset symbol " + spec.symbol() + " is there twice");
                }
            }
            int id = spec.id();
            netDeposits[id] = in.readVarLong();
            internalSums[id] = in.readVarLong();
            int accounts = in.readCount(2);
            Long2LongHashMap map = new Long2LongHashMap(Math.max(expectedAccounts, (int) (accounts / LOAD_FACTOR) + 1),
                    LOAD_FACTOR, 0L);
            for (int k = 0; k < accounts; k++) {
                long account = in.readVarLong();
                long balance = in.readVarLong();
                if (balance == 0 || map.put(account, balance) != 0) {
                    throw in.fail("asset " + id + ": account " + account + " has a zero balance or is there twice");
                }
            }
            assets[id] = spec;
            balances[id] = map;
            assetCount++;
        }
    }
}
