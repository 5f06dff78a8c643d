package io.meridian.node;

import io.meridian.engine.RiskScaleView;
import io.meridian.engine.VolatilityRiskPolicy;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.RejectReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's volatility controller (docs/operations.md, "The volatility controller"): every interval, on its own
 * thread, it reads each model-margined instrument's {@link RiskScaleView} with an engine-loop query (run on the engine
 * thread after the commands queued before it, so the views are a consistent state and engine state is never touched
 * from here), asks {@link VolatilityRiskPolicy#decide} what to change, and submits the SET_RISK_SCALE it asks for
 * through {@link EngineLoop#submit}, the path every operator command takes: sequenced, journaled, applied, so a replay
 * of the journal reproduces each change without the controller.
 *
 * <p><b>Bounded.</b> At most one outstanding change per instrument: nothing is decided for an instrument while a
 * change of it is in flight (submitted, no answer yet) or announced and not yet in force ({@code nextAt != 0}), so the
 * controller never replaces its own announcement and users see each change coming exactly once. The engine checks
 * every change against the governance bounds; this class only counts what it answered (accepted, refused with the
 * last reason, not queued) for {@code /health} and logs each refusal as a warning: a healthy controller is never
 * refused.
 *
 * <p><b>Time.</b> The policy is asked with the node's clock plus {@link #STAMP_ALLOWANCE_NANOS}: the command is stamped
 * when it is sequenced, a little later than the clock was read (on a cluster's gateway, by the cluster's clock), and a
 * change announced from an earlier "now" could fall short of the bounds' notice. So every change is announced at least
 * the notice (or the minimum lead) plus up to that allowance ahead.
 *
 * <p>Thread-safe: one controller thread; the answers arrive on the engine thread and only touch concurrent state.
 */
final class RiskControl implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("io.meridian.node.risk");
    /** How much later than the clock's reading a command may be stamped: a second. */
    static final long STAMP_ALLOWANCE_NANOS = 1_000_000_000L;
    /** How long one round waits for the engine's answer before giving up until the next. */
    private static final long QUERY_TIMEOUT_MILLIS = 5_000;

    private final EngineLoop engine;
    private final VolatilityRiskPolicy policy;
    private final long intervalMillis;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "meridian-risk-controller");
        t.setDaemon(true);
        return t;
    });
    /** Instruments with a change submitted and not yet answered. */
    private final Set<Integer> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong notQueued = new AtomicLong();
    private volatile String lastRefusal;

    private RiskControl(EngineLoop engine, VolatilityRiskPolicy policy, long intervalMillis) {
        this.engine = engine;
        this.policy = policy;
        this.intervalMillis = intervalMillis;
    }

    /** Starts a controller over {@code engine} with the config's settings; its first round runs one interval later. */
    static RiskControl start(EngineLoop engine, NodeConfig.RiskController settings) {
        RiskControl control = new RiskControl(engine, settings.policy(), settings.interval());
        control.thread.scheduleWithFixedDelay(control::safeRound, control.intervalMillis, control.intervalMillis,
                TimeUnit.MILLISECONDS);
        engine.riskControl(control::status);
        return control;
    }

    private void safeRound() {
        try {
            round();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | ExecutionException | TimeoutException e) {
            // The engine stopped or did not answer in time: the next round tries again (the node's health says why).
            LOG.warn("risk controller: round skipped: {}", e.toString());
        }
    }

    /** One round: the views, a decision per instrument, the changes submitted. Package-private for tests. */
    void round() throws InterruptedException, ExecutionException, TimeoutException {
        rounds.incrementAndGet();
        List<RiskScaleView> views = engine.query(e -> {
            List<RiskScaleView> governed = new ArrayList<>();
            for (int id : e.view().instrumentIds()) {
                RiskScaleView view = e.view().riskScale(id);
                if (view != null && view.bounds() != null) {
                    governed.add(view);
                }
            }
            return governed;
        }).get(QUERY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        long now = engine.now() + STAMP_ALLOWANCE_NANOS;
        for (RiskScaleView view : views) {
            if (view.nextAt() != 0 || inFlight.contains(view.instrument())) {
                continue;
            }
            VolatilityRiskPolicy.Change change = policy.decide(view, now);
            if (change != null) {
                submit(view, change);
            }
        }
    }

    private void submit(RiskScaleView view, VolatilityRiskPolicy.Change change) {
        int instrument = view.instrument();
        Command c = new Command().reset();
        c.type = CommandType.SET_RISK_SCALE;
        c.instrument = instrument;
        c.riskMultiplierPpm = change.multiplierPpm();
        c.effectiveAt = change.effectiveAt();
        inFlight.add(instrument);
        submitted.incrementAndGet();
        boolean queued = engine.submit(c, result -> answered(instrument, change, view, result.reject()));
        if (!queued) {
            inFlight.remove(instrument);
            notQueued.incrementAndGet();
        }
    }

    /** Engine thread: the engine's answer to a change. */
    private void answered(int instrument, VolatilityRiskPolicy.Change change, RiskScaleView view, RejectReason reject) {
        inFlight.remove(instrument);
        if (reject == null) {
            accepted.incrementAndGet();
            LOG.info("risk controller: instrument {}: multiplier {} ppm -> {} ppm at {} (volatility {} ppm)", instrument,
                    view.multiplierPpm(), change.multiplierPpm(), change.effectiveAt(), view.volatilityPpm());
            return;
        }
        refused.incrementAndGet();
        lastRefusal = "instrument " + instrument + ": " + change.multiplierPpm() + " ppm at " + change.effectiveAt()
                + ": " + reject.code() + " " + reject.name();
        LOG.warn("risk controller: change refused: {}", lastRefusal);
    }

    /** What {@code /health} shows of the controller. */
    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("intervalMs", intervalMillis);
        status.put("rounds", rounds.get());
        status.put("submitted", submitted.get());
        status.put("accepted", accepted.get());
        status.put("refused", refused.get());
        status.put("notQueued", notQueued.get());
        status.put("lastRefusal", lastRefusal);
        return status;
    }

    /** Stops the thread; a change already submitted still gets its answer from the engine. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
