package io.meridian.node.settlement;

import io.meridian.auth.Address;
import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.RejectReason;
import io.meridian.node.ChainSettings;
import io.meridian.node.EngineLoop;
import io.meridian.node.NodeConfig;
import io.meridian.node.SettlementView;
import io.meridian.settlement.BatchBuilder;
import io.meridian.settlement.Chain;
import io.meridian.settlement.DepositWatcher;
import io.meridian.settlement.ForcedRequestWatcher;
import io.meridian.settlement.RiskBoundsWatcher;
import io.meridian.settlement.SequencedLogWatcher;
import io.meridian.settlement.MerkleSumTree;
import io.meridian.settlement.SettlementBatch;
import io.meridian.settlement.VaultContracts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's settlement loop (docs/settlement.md, "The node's settlement loop"), three threads beside the engine's:
 * <ul>
 *   <li><b>deposits</b>: every {@code pollMillis} reads the engine's last credited chain deposit id (an engine-loop
 *   query), asks the {@link DepositWatcher} for the confirmed deposits after it and submits each DEPOSIT through
 *   {@link EngineLoop#submit}, the path every operator command takes (sequenced, journaled, applied). The engine
 *   credits only the next id, so a restart or a repeat is refused, never credited twice; a deposit the engine refuses
 *   otherwise (a gap) makes the watcher re-read from its block at the next poll, so nothing behind it is skipped.</li>
 *   <li><b>the replica</b> ({@link SettlementReplica}): a second engine fed the live engine's commands, with the
 *   {@link BatchBuilder} watching them; it cuts a batch at the configured cadence (time or count), writes it to the
 *   {@link BatchStore} and hands it to the processor. The live engine never runs the O(accounts) cut.</li>
 *   <li><b>the processor</b>: commits each cut batch in order with the operator's key (unless the vault already has
 *   it: a restart after a crash between commit and record), then pays every withdrawal of it: it asks the vault
 *   {@code withdrawalPaid(id)} before sending and treats {@code AlreadyPaid} as paid, so a restart resumes with the
 *   unpaid ones and never pays twice; a failure waits (doubling up to {@value #MAX_BACKOFF_MILLIS} ms) and
 *   retries, never spinning.</li>
 * </ul>
 * At most {@value #MAX_UNCOMMITTED} cut batches wait for the chain; while they do, no further batch is cut (the
 * withdrawals wait in the builder and go into the next batch, which may then exceed {@code maxWithdrawals}).
 */
public final class SettlementLoop implements SettlementView, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("io.meridian.node.settlement");
    static final int MAX_UNCOMMITTED = 4;
    static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final long QUERY_TIMEOUT_MILLIS = 10_000;
    /** How long a deposit waits for the engine's answer before the poll gives up and re-reads it next time. */
    private static final long ANSWER_TIMEOUT_MILLIS = 30_000;

    private final ChainSettings settings;
    private final EngineLoop engine;
    private final Chain chain;
    private final Chain.Sender operator;
    private final VaultContracts vault;
    private final Map<Integer, Address> tokenOfAsset;
    private final BatchStore store;
    private final SettlementReplica replica;
    private final BlockingQueue<CommittedBatch> cut = new ArrayBlockingQueue<>(MAX_UNCOMMITTED);
    /** Processor thread only: batches cut and not yet paid in full, by id. */
    private final TreeMap<Long, CommittedBatch> work = new TreeMap<>();
    private final Thread depositThread;
    private final Thread processorThread;
    private volatile boolean running = true;
    private volatile boolean processing = true;
    /** The deposit thread's watchers. */
    private final DepositWatcher watcher;
    private final ForcedRequestWatcher forcedWatcher;
    private final RiskBoundsWatcher boundsWatcher;
    private volatile CommittedBatch latestCommitted;
    private volatile long committedCount;
    private volatile long lastCreditedDepositId;
    private volatile int unpaidCommitted;
    private volatile String lastError;
    private final AtomicLong depositsCredited = new AtomicLong();
    private final AtomicLong forcedServed = new AtomicLong();
    private final AtomicLong riskBoundsApplied = new AtomicLong();
    private final AtomicLong withdrawalsPaid = new AtomicLong();
    private final AtomicLong rootsPosted = new AtomicLong();
    /** Where each withdrawal is (batches known, payments sent), for {@link #withdrawal}. */
    private final WithdrawalTracker tracker = new WithdrawalTracker(() -> committedCount);

    private SettlementLoop(ChainSettings settings, EngineLoop engine, Chain chain, Chain.Sender operator,
                           BatchStore store, SettlementReplica replica, Map<Integer, Address> tokenOfAsset) {
        this.settings = settings;
        this.engine = engine;
        this.chain = chain;
        this.operator = operator;
        this.vault = new VaultContracts(chain, null, settings.vault(), null);
        this.store = store;
        this.replica = replica;
        this.tokenOfAsset = tokenOfAsset;
        this.watcher = new DepositWatcher(chain, settings.vault(), settings.confirmationsOrDefault(),
                settings.assetOfToken(), settings.fromBlockOrDefault());
        this.forcedWatcher = new ForcedRequestWatcher(chain, settings.vault(), settings.confirmationsOrDefault(),
                settings.assetOfToken(), settings.fromBlockOrDefault());
        this.boundsWatcher = new RiskBoundsWatcher(chain, settings.vault(), settings.confirmationsOrDefault(),
                settings.fromBlockOrDefault());
        this.depositThread = new Thread(this::depositLoop, "meridian-settlement-deposits");
        this.processorThread = new Thread(this::processLoop, "meridian-settlement-processor");
        depositThread.setDaemon(true);
        processorThread.setDaemon(true);
    }

    /**
     * Connects to the chain, checks it (chain id, the vault's operator), recovers the batches on disk, starts the
     * replica from the journal and the three threads. Refuses (IllegalStateException, saying why) a chain with another
     * id, an operator key the vault does not name, or a vault with more batches than the data directory knows.
     */
    public static SettlementLoop start(NodeConfig config, EngineLoop engine) {
        ChainSettings settings = config.chain();
        byte[] key = readKey(Path.of(settings.operatorKeyFile()));
        Chain chain = new Chain(settings.rpcUrl(), settings.chainId());
        try {
            long actual;
            try {
                actual = chain.web3().ethChainId().send().getChainId().longValueExact();
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("chain: cannot reach " + settings.rpcUrl() + ": " + e.getMessage(), e);
            }
            if (actual != settings.chainId()) {
                throw new IllegalStateException("chain: " + settings.rpcUrl() + " is chain " + actual + ", not the"
                        + " configured chainId " + settings.chainId());
            }
            Chain.Sender operator = chain.sender(key);
            VaultContracts vault = new VaultContracts(chain, null, settings.vault(), null);
            String named = vault.operator();
            if (!named.equalsIgnoreCase(operator.address())) {
                throw new IllegalStateException("chain: the vault " + settings.vault() + " is operated by " + named
                        + ", but chain.operatorKeyFile holds the key of " + operator.address());
            }
            BatchStore store = new BatchStore(Path.of(config.dataDir()));
            Map<Integer, Address> tokenOfAsset = settings.tokenOfAsset();
            List<Long> ids = store.ids();
            long onChain = vault.batchCount();
            long lastLocal = ids.isEmpty() ? 0 : ids.get(ids.size() - 1);
            if (onChain > lastLocal) {
                throw new IllegalStateException("chain: the vault " + settings.vault() + " has " + onChain
                        + " batches but " + store.directory() + " knows " + lastLocal + "; the node's batches are"
                        + " lost or another node commits to this vault");
            }
            CommittedBatch newest = ids.isEmpty() ? null : store.read(lastLocal, tokenOfAsset);
            EngineConfig engineConfig = engine.query(e -> e.view().config()).get(QUERY_TIMEOUT_MILLIS,
                    TimeUnit.MILLISECONDS);
            SettlementLoop[] self = new SettlementLoop[1];
            SettlementReplica replica = SettlementReplica.create(tokenOfAsset, lastLocal + 1,
                    newest == null ? 0 : newest.lastSequence(), settings.batchIntervalMillis(),
                    settings.batchMaxWithdrawals(), System::currentTimeMillis, b -> self[0].onCut(b),
                    () -> self[0].cut.remainingCapacity() > 0);
            SettlementLoop loop = new SettlementLoop(settings, engine, chain, operator, store, replica, tokenOfAsset);
            self[0] = loop;
            loop.committedCount = onChain;
            for (long id : ids) {
                if (!store.paid(id)) {
                    loop.work.put(id, id == lastLocal ? newest : store.read(id, tokenOfAsset));
                }
            }
            if (onChain > 0 && ids.contains(onChain)) {
                CommittedBatch known = loop.work.get(onChain);
                loop.latestCommitted = known != null ? known : onChain == lastLocal ? newest
                        : store.read(onChain, tokenOfAsset);
            }
            loop.unpaidCommitted = loop.countUnpaid();
            for (long id : ids) {
                CommittedBatch known = loop.work.get(id);
                if (known == null) {
                    known = id == lastLocal ? newest : store.read(id, tokenOfAsset);
                }
                loop.tracker.add(id, known.lastSequence(), known.withdrawals(), store.paid(id), store.paidHashes(id));
            }
            long tappedAfter = engine.tapApplied(replica.tap()).get(QUERY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            replica.start(Path.of(config.dataDir()), engineConfig, tappedAfter);
            loop.depositThread.start();
            loop.processorThread.start();
            engine.settlement(loop);
            return loop;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            chain.close();
            throw new IllegalStateException("interrupted while starting the settlement loop", e);
        } catch (ExecutionException | TimeoutException e) {
            chain.close();
            throw new IllegalStateException("the engine did not answer the settlement loop's start: " + e, e);
        } catch (RuntimeException e) {
            chain.close();
            throw e;
        }
    }

    /** The operator's key: 64 hex digits, {@code 0x} optional, surrounding white space ignored. */
    static byte[] readKey(Path file) {
        String text;
        try {
            text = Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalStateException("chain.operatorKeyFile: cannot read " + file + ": " + e.getMessage(), e);
        }
        String hex = text.startsWith("0x") ? text.substring(2) : text;
        if (!hex.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalStateException("chain.operatorKeyFile: " + file + " must hold a private key as 64 hex digits");
        }
        return Numeric.hexStringToByteArray(hex);
    }

    // ------------------------------------------------------------------------------------------------ deposits

    private void depositLoop() {
        while (running) {
            try {
                pollDeposits();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | ExecutionException | TimeoutException e) {
                lastError = "deposits: " + e;
                LOG.warn("settlement: deposit poll failed, retrying: {}", e.toString());
            }
            if (!sleep(settings.pollMillisOrDefault())) {
                return;
            }
        }
    }

    /**
     * One poll: the confirmed deposits after the engine's last credited id, then the confirmed forced withdrawal requests
     * after the last served, then the governor's confirmed risk-bounds publications after the last applied, each
     * submitted in order. Package-private.
     */
    void pollDeposits() throws InterruptedException, ExecutionException, TimeoutException {
        long last = engine.query(e -> e.view().lastChainDepositId()).get(QUERY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        lastCreditedDepositId = last;
        lastCreditedDepositId = submitInOrder(watcher, last, RejectReason.CHAIN_DEPOSIT_CREDITED, depositsCredited,
                "deposit");
        long lastForced = engine.query(e -> e.view().lastForcedRef()).get(QUERY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        submitInOrder(forcedWatcher, lastForced, RejectReason.FORCED_WITHDRAWAL_SERVED, forcedServed,
                "forced withdrawal request");
        long lastBounds = engine.query(e -> e.view().lastChainRiskBoundsRef()).get(QUERY_TIMEOUT_MILLIS,
                TimeUnit.MILLISECONDS);
        submitInOrder(boundsWatcher, lastBounds, RejectReason.CHAIN_BOUNDS_APPLIED, riskBoundsApplied,
                "risk bounds publication");
    }

    /**
     * Submits the watcher's confirmed events after {@code last} in order and returns the id applied last. An event the
     * engine already applied ({@code done}) counts as applied; a token not configured, any other refusal, or a stopped
     * engine makes the watcher re-read from that event's block ({@link SequencedLogWatcher#rewindTo}), so nothing behind
     * it is skipped.
     */
    private <E> long submitInOrder(SequencedLogWatcher<E> events, long last, RejectReason done, AtomicLong applied,
                                   String what)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<E> found = events.poll(last);
        List<CompletableFuture<EngineLoop.Result>> answers = new ArrayList<>(found.size());
        for (E event : found) {
            Command c = events.command(event);
            if (c == null) {
                // A token the vault lists and the config does not map: it cannot be applied, and what is behind it
                // must not be skipped; the operator maps the token and restarts.
                lastError = what + " " + events.id(event) + " is of a token not in chain.assets";
                LOG.warn("settlement: {}", lastError);
                events.rewindTo(events.block(event));
                break;
            }
            CompletableFuture<EngineLoop.Result> answer = new CompletableFuture<>();
            while (!engine.submit(c, answer::complete)) {
                if (!running || engine.failure() != null) {
                    events.rewindTo(events.block(event));
                    return last;
                }
                Thread.sleep(10); // the ring is full: the engine catches up within milliseconds
            }
            answers.add(answer);
        }
        long appliedId = last;
        for (int i = 0; i < answers.size(); i++) {
            EngineLoop.Result result = answers.get(i).get(ANSWER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            E event = found.get(i);
            if (result.reject() == null) {
                applied.incrementAndGet();
                appliedId = events.id(event);
            } else if (result.reject() == done) {
                appliedId = events.id(event);
            } else {
                lastError = what + " " + events.id(event) + " refused: " + result.reject().code() + " "
                        + result.reject().name();
                LOG.warn("settlement: {}; re-read from its block next poll", lastError);
                events.rewindTo(events.block(event));
                return appliedId;
            }
        }
        return appliedId;
    }

    // ------------------------------------------------------------------------------------------------ batches

    /** Replica thread: a batch was cut; write it before anything is sent, then hand it to the processor. */
    private void onCut(CommittedBatch batch) {
        store.write(batch);
        tracker.add(batch.batchId(), batch.lastSequence(), batch.withdrawals(), false, Map.of());
        try {
            cut.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("settlement: batch {} cut at sequence {} with {} withdrawals in {} ms", batch.batchId(),
                batch.lastSequence(), batch.withdrawals().size(), replica.lastCutNanos() / 1_000_000);
    }

    private void processLoop() {
        long backoff = settings.pollMillisOrDefault();
        while (running) {
            try {
                CommittedBatch next = cut.poll(settings.pollMillisOrDefault(), TimeUnit.MILLISECONDS);
                if (next != null) {
                    work.put(next.batchId(), next);
                }
                if (processing) {
                    processWork();
                }
                backoff = settings.pollMillisOrDefault();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                lastError = "processor: " + e.getMessage();
                LOG.warn("settlement: processor failed, retrying in {} ms: {}", backoff, e.toString());
                if (!sleep(backoff)) {
                    return;
                }
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    /** Commits the waiting batches in order and pays their withdrawals. */
    private void processWork() {
        while (!work.isEmpty() && processing && running) {
            CommittedBatch batch = work.firstEntry().getValue();
            if (batch.batchId() > committedCount) {
                long onChain = vault.batchCount();
                if (onChain < batch.batchId()) {
                    batch.commit(vault, operator);
                    rootsPosted.incrementAndGet();
                }
                committedCount = batch.batchId();
                latestCommitted = batch;
                unpaidCommitted = countUnpaid();
            }
            if (!pay(batch)) {
                return;
            }
            store.markPaid(batch.batchId(), tracker.hashesOf(batch.withdrawals()));
            tracker.batchPaid(batch.batchId());
            work.pollFirstEntry();
            unpaidCommitted = countUnpaid();
        }
    }

    /** Pays the batch's unpaid withdrawals; true when every one is paid. */
    private boolean pay(CommittedBatch batch) {
        List<BatchBuilder.Withdrawal> withdrawals = batch.withdrawals();
        for (int i = 0; i < withdrawals.size(); i++) {
            if (!processing || !running) {
                return false;
            }
            BatchBuilder.Withdrawal w = withdrawals.get(i);
            if (!withdrawalPaid(w.withdrawalId())) {
                try {
                    TransactionReceipt receipt = vault.withdraw(operator, batch.batchId(), w.withdrawalId(),
                            w.account().toLowerHex(), w.destination().toLowerHex(),
                            tokenOfAsset.get(w.asset()).toLowerHex(), w.amount(), w.forcedRef(), batch.withdrawalProof(i));
                    tracker.paid(w.withdrawalId(), receipt.getTransactionHash());
                } catch (Chain.ChainException e) {
                    if (!e.is("AlreadyPaid()")) {
                        throw e;
                    }
                    tracker.paid(w.withdrawalId(), null);
                }
            } else {
                tracker.paid(w.withdrawalId(), null);
            }
            withdrawalsPaid.incrementAndGet();
            unpaidCommitted = Math.max(0, unpaidCommitted - 1);
        }
        return true;
    }

    private int countUnpaid() {
        int n = 0;
        for (CommittedBatch b : work.values()) {
            if (b.batchId() <= committedCount) {
                n += b.withdrawals().size();
            }
        }
        return n;
    }

    private boolean withdrawalPaid(long withdrawalId) {
        return (Boolean) chain.call(settings.vault(), new Function("withdrawalPaid", List.of(new Uint64(withdrawalId)),
                List.of(new TypeReference<Bool>() { }))).get(0).getValue();
    }

    /**
     * Stops (false) or resumes (true) committing and paying: what an operator that vanished looks like to the vault
     * (the settlement demo's escape hatch). Deposits and cuts go on; a transaction already sent completes.
     */
    public void processing(boolean on) {
        processing = on;
    }

    // ------------------------------------------------------------------------------------------------ views

    @Override
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chainId", settings.chainId());
        m.put("vault", settings.vault());
        // What a depositor needs besides the vault: the token of each engine asset the vault takes (a deposit of any
        // other token is never credited), and how many blocks must hold a deposit before the node credits it.
        List<Map<String, Object>> tokens = new ArrayList<>();
        for (Map.Entry<String, Integer> e : settings.assets().entrySet()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("asset", e.getValue());
            t.put("token", e.getKey());
            tokens.add(t);
        }
        m.put("assets", tokens);
        m.put("confirmations", settings.confirmationsOrDefault());
        CommittedBatch last = latestCommitted;
        if (last == null) {
            m.put("lastBatch", null);
        } else {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("batchId", last.batchId());
            b.put("lastSequence", last.lastSequence());
            b.put("cutAtMillis", last.cutAtMillis());
            b.put("withdrawals", last.withdrawals().size());
            m.put("lastBatch", b);
        }
        m.put("pendingWithdrawals", unpaidCommitted + replica.pendingWithdrawals());
        m.put("lastCreditedDepositId", lastCreditedDepositId);
        m.put("depositsCredited", depositsCredited.get());
        m.put("forcedWithdrawalsServed", forcedServed.get());
        m.put("riskBoundsApplied", riskBoundsApplied.get());
        m.put("withdrawalsPaid", withdrawalsPaid.get());
        m.put("rootsPosted", rootsPosted.get());
        m.put("replicaSequence", replica.appliedSequence());
        m.put("processing", processing);
        Throwable failure = replica.failure();
        m.put("replicaFailure", failure == null ? null : failure.toString());
        m.put("lastError", lastError);
        return m;
    }

    @Override
    public Map<String, Object> proof(Address address) {
        CommittedBatch batch = latestCommitted;
        if (batch == null) {
            return null;
        }
        List<Map<String, Object>> assets = new ArrayList<>();
        for (Map.Entry<Integer, SettlementBatch.AssetRoot> e : batch.roots().entrySet()) {
            SettlementBatch.AssetRoot root = e.getValue();
            int index = root.indexOf(address);
            if (index < 0) {
                continue;
            }
            MerkleSumTree.Proof proof = root.tree().proof(index);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("asset", e.getKey());
            a.put("token", root.token().toLowerHex());
            a.put("balance", Long.toString(root.entries().get(index).balance()));
            a.put("leafIndex", proof.index());
            a.put("siblingHashes", proof.siblingHashes().stream().map(Numeric::toHexString).toList());
            a.put("siblingTotals", proof.siblingTotals().stream().map(BigInteger::toString).toList());
            a.put("rootHash", Numeric.toHexString(root.tree().rootHash()));
            a.put("rootTotal", root.tree().rootTotal().toString());
            assets.add(a);
        }
        if (assets.isEmpty()) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batchId", batch.batchId());
        m.put("lastSequence", batch.lastSequence());
        m.put("address", address.toLowerHex());
        m.put("vault", settings.vault());
        m.put("chainId", settings.chainId());
        m.put("assets", assets);
        return m;
    }

    @Override
    public Map<String, Object> withdrawal(long withdrawalId) {
        return tracker.status(withdrawalId);
    }

    /** Committed batches (on chain, as this node knows). */
    public long committedBatches() {
        return committedCount;
    }

    public long depositsCredited() {
        return depositsCredited.get();
    }

    public long withdrawalsPaid() {
        return withdrawalsPaid.get();
    }

    public long rootsPosted() {
        return rootsPosted.get();
    }

    /** Withdrawals accepted by the engine and not yet confirmed paid. */
    public int pendingWithdrawals() {
        return unpaidCommitted + replica.pendingWithdrawals();
    }

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Detaches the tap, stops the threads (a transaction in flight completes first) and the chain client. */
    @Override
    public void close() {
        running = false;
        try {
            engine.tapApplied(null).get(QUERY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // The engine stopped already: nothing more reaches the tap.
        }
        engine.settlement(null);
        // The processor is not interrupted: a transaction in flight completes (or fails) by itself, and the loop
        // stops at its next check.
        depositThread.interrupt();
        try {
            depositThread.join(10_000);
            processorThread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        replica.close();
        chain.close();
    }
}
