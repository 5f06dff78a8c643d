package io.meridian.node.fix;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.node.EngineLoop;
import io.meridian.node.NodeConfig;
import io.meridian.node.RateLimits;
import io.meridian.node.codec.ClientOrderId;
import io.meridian.node.codec.Codes;
import io.meridian.node.codec.EdgeDecimals;
import io.meridian.node.codec.Faults;
import io.meridian.node.codec.Instruments;
import io.meridian.node.codec.RequestException;
import io.meridian.node.codec.Rejects;
import io.meridian.node.codec.RequestSigning;
import io.meridian.node.metrics.EdgeRefusals;
import io.meridian.node.metrics.FixMeters;
import quickfix.Application;
import quickfix.ConfigError;
import quickfix.DefaultMessageFactory;
import quickfix.FieldNotFound;
import quickfix.FileStoreFactory;
import quickfix.Message;
import quickfix.RejectLogon;
import quickfix.SLF4JLogFactory;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionNotFound;
import quickfix.SessionSettings;
import quickfix.ThreadedSocketAcceptor;
import quickfix.UnsupportedMessageType;
import quickfix.field.MsgType;
import quickfix.mina.acceptor.DynamicAcceptorSessionProvider;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.meridian.node.fix.FixOrders.bad;
import static io.meridian.node.fix.FixOrders.optional;
import static io.meridian.node.fix.FixOrders.positive;
import static io.meridian.node.codec.Rejects.fixText;
import static io.meridian.node.codec.StrictScalars.plain;

/**
 * FIX 4.4 order entry (QuickFIX/J acceptor; docs/api.md, "FIX 4.4"). Any client CompID may connect to the configured
 * {@code senderCompId}; the Logon authenticates like the WebSocket {@code login} (an OPEN_SESSION signed by the owner
 * or an approved agent key, journaled through the engine), and the FIX session then places and cancels orders for that
 * address's account, converted with the REST rules. Execution reports come from the engine's order events for the
 * account ({@link FixReports}), so fills of resting orders reach every FIX session logged in for it.
 *
 * <p>Threads: QuickFIX/J runs one thread per FIX session ({@link ThreadedSocketAcceptor}); logon verification and
 * message conversion run there, as they run on Netty's I/O threads for REST. A logon waits, at most
 * {@link #ENGINE_TIMEOUT_SECONDS}, on its session's own thread for the engine's answer. The engine thread never builds
 * or sends a FIX message: it records what happened in {@link FixReports} and hands it to one sender thread, which
 * formats and sends it ({@link Session#sendToTarget} writes the message store and takes the session's lock). One sender
 * thread keeps every session's reports in engine order.
 */
public final class FixGateway implements AutoCloseable {
    public static final String BEGIN_STRING = "FIX.4.4";
    /** User-defined Logon tag carrying the agent key (hex) when an approved agent signed the Session message. */
    public static final int AGENT_KEY_TAG = 20001;
    public static final long ENGINE_TIMEOUT_SECONDS = 5;

    public static final int TAG_CL_ORD_ID = 11;
    public static final int TAG_ORIG_CL_ORD_ID = 41;
    public static final int TAG_ORDER_ID = 37;
    public static final int TAG_SYMBOL = 55;
    public static final int TAG_SIDE = 54;
    public static final int TAG_ORDER_QTY = 38;
    public static final int TAG_ORD_TYPE = 40;
    public static final int TAG_PRICE = 44;
    public static final int TAG_TIME_IN_FORCE = 59;
    public static final int TAG_EXEC_INST = 18;
    public static final int TAG_EXPIRE_TIME = 126;
    public static final int TAG_USERNAME = 553;
    public static final int TAG_PASSWORD = 554;
    public static final int TAG_RAW_DATA = 96;

    private final EngineLoop engine;
    private final RequestSigning signing;
    private final RateLimits limits;
    private final Instruments instruments;
    private final Faults faults = new Faults();
    /** Who each logged-on FIX session acts for. Written on the session's thread at logon, removed at logout. */
    private final Map<SessionID, Login> logins = new ConcurrentHashMap<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "meridian-fix-sender");
        t.setDaemon(true);
        return t;
    });
    private final FixReports reports;
    private final ThreadedSocketAcceptor acceptor;
    /** The FIX figures of /metrics (sessions, logons, messages, rejects) and the gateway's own refusals by code. */
    private final FixMeters meters;
    private final EdgeRefusals refusals;

    /** What a FIX session acts for: an address in an engine session ({@code sessionId}), or an account id (open mode). */
    record Login(long account, byte[] address, byte[] agentKey, long sessionId) {
    }

    /**
     * Starts the acceptor on {@code httpHost} at {@code fix.port}, with its message store under
     * {@code <dataDir>/fix} (sequence numbers survive a restart; a client may reset them with ResetSeqNumFlag).
     */
    public FixGateway(NodeConfig config, EngineLoop engine) throws ConfigError {
        this.engine = engine;
        this.signing = new RequestSigning(config.auth().domain(), config.auth().signaturesRequired());
        this.limits = RateLimits.of(config);
        this.instruments = new Instruments(config.allSpecs());
        this.reports = new FixReports(config.allSpecs(), sender);
        this.meters = engine.metrics().bindFix(logins::size);
        this.refusals = engine.metrics().refusals();
        try {
            engine.orderEvents(reports, true).get(ENGINE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigError("interrupted while attaching the FIX reports to the engine");
        } catch (ExecutionException | TimeoutException e) {
            throw new ConfigError("cannot attach the FIX reports to the engine: " + e);
        }
        NodeConfig.Fix fix = config.fix();
        SessionID template = new SessionID(BEGIN_STRING, fix.senderCompId(), DynamicAcceptorSessionProvider.WILDCARD);
        SessionSettings settings = new SessionSettings();
        settings.setString(template, "ConnectionType", "acceptor");
        settings.setString(template, "AcceptorTemplate", "Y");
        settings.setString(template, "SocketAcceptAddress", config.httpHost());
        settings.setLong(template, "SocketAcceptPort", fix.port());
        settings.setString(template, "NonStopSession", "Y");
        settings.setString(template, "UseDataDictionary", "Y");
        settings.setString(template, "DataDictionary", "FIX44.xml");
        // The agent key travels in a user-defined Logon tag (AGENT_KEY_TAG), which the dictionary does not list.
        settings.setString(template, "ValidateUserDefinedFields", "N");
        // In the default section: the store factory reads the settings it was made with, and a dynamic session's own
        // section lives only in the provider's copy.
        settings.setString("FileStorePath", Path.of(config.dataDir(), "fix").toString());
        Application application = new App();
        this.acceptor = new ThreadedSocketAcceptor(application, new FileStoreFactory(settings), settings,
                new SLF4JLogFactory(settings), new DefaultMessageFactory());
        acceptor.setSessionProvider(new InetSocketAddress(config.httpHost(), fix.port()),
                new DynamicAcceptorSessionProvider(settings, template, application, new FileStoreFactory(settings),
                        new SLF4JLogFactory(settings), new DefaultMessageFactory()));
        acceptor.start();
    }

    /** The port actually bound (useful with port 0). */
    public RateLimits limits() {
        return limits;
    }

    public int port() {
        return ((InetSocketAddress) acceptor.getEndpoints().iterator().next().getLocalAddress()).getPort();
    }

    @Override
    public void close() {
        acceptor.stop(true);
        // Detach on the engine thread before the sender stops, so the engine never hands a report to a stopped
        // executor; reports queued until then still leave (or find no session).
        try {
            engine.orderEvents(reports, false).get(ENGINE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // The engine thread failed or is stuck: it hands out no more events either way.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.shutdown();
        try {
            sender.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class App implements Application {
        @Override
        public void onCreate(SessionID sessionId) {
        }

        @Override
        public void onLogon(SessionID sessionId) {
            meters.logon();
        }

        @Override
        public void onLogout(SessionID sessionId) {
            Login login = logins.remove(sessionId);
            if (login != null) {
                meters.logout();
                engine.query(e -> {
                    reports.remove(login.account(), sessionId);
                    return Boolean.TRUE;
                });
            }
        }

        @Override
        public void toAdmin(Message message, SessionID sessionId) {
            FixTraffic.out(meters, message, true);
        }

        @Override
        public void fromAdmin(Message message, SessionID sessionId) throws FieldNotFound, RejectLogon {
            FixTraffic.in(meters, message, true);
            if (MsgType.LOGON.equals(message.getHeader().getString(MsgType.FIELD))) {
                logon(message, sessionId);
            }
        }

        @Override
        public void toApp(Message message, SessionID sessionId) {
            FixTraffic.out(meters, message, false);
        }

        @Override
        public void fromApp(Message message, SessionID sessionId) throws FieldNotFound, UnsupportedMessageType {
            FixTraffic.in(meters, message, false);
            Login login = logins.get(sessionId);
            String type = message.getHeader().getString(MsgType.FIELD);
            if (login == null) {
                return;
            }
            switch (type) {
                case MsgType.ORDER_SINGLE -> newOrder(message, sessionId, login);
                case MsgType.ORDER_CANCEL_REQUEST -> cancelOrReplace(message, sessionId, login, false);
                case MsgType.ORDER_CANCEL_REPLACE_REQUEST -> cancelOrReplace(message, sessionId, login, true);
                default -> throw new UnsupportedMessageType();
            }
        }
    }

    /**
     * A Logon (on its session's thread): Username(553) an address with the Session signature, or (auth mode open
     * only) an account id. Refused with RejectLogon, whose text QuickFIX/J sends in the Logout's Text(58).
     */
    private void logon(Message message, SessionID sessionId) throws RejectLogon {
        String user = optional(message, TAG_USERNAME);
        try {
            plain(user, "Username(553)");
            if (user == null) {
                throw bad("Username(553): required: the owner's address (0x...), or an account id in auth mode open");
            }
            Login login;
            if (!user.startsWith("0x") && !user.startsWith("0X")) {
                if (signing.required()) {
                    throw new RequestException(401, RequestSigning.SIGNATURE_REQUIRED, "this node accepts only"
                            + " signed logons: Username(553) is the address, with the Session signature (docs/api.md,"
                            + " FIX 4.4)");
                }
                long account = positive(user, "Username(553)");
                login = new Login(account, null, null, 0);
            } else {
                login = signedLogon(message, user);
            }
            engine.query(e -> {
                reports.add(login.account(), sessionId, e);
                return Boolean.TRUE;
            }).get(ENGINE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            logins.put(sessionId, login);
        } catch (RequestException e) {
            // An engine refusal of the session (422) was journaled and counted by the engine; the rest are the gateway's.
            refusedLogon(e.status() == Rejects.ENGINE_REFUSAL ? 0 : e.code());
            throw new RejectLogon(fixText(e.code(), e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refusedLogon(Codes.NOT_READY);
            throw new RejectLogon(fixText(Codes.NOT_READY, "interrupted"));
        } catch (ExecutionException | TimeoutException e) {
            // The exception's text goes to the log under an id, never to the client.
            refusedLogon(Codes.NOT_READY);
            throw new RejectLogon(fixText(Codes.NOT_READY, Faults.message("the engine did not answer",
                    faults.record("FIX Logon", e))));
        } catch (RuntimeException e) {
            refusedLogon(Codes.INTERNAL);
            throw new RejectLogon(fixText(Codes.INTERNAL, Faults.message("internal error",
                    faults.record("FIX Logon", e))));
        }
    }

    /** Counts a refused Logon, and the gateway's refusal by {@code code} unless 0 (the engine's, counted there). */
    private void refusedLogon(int code) {
        meters.logonRefused();
        if (code != 0) {
            refusals.refused(EdgeRefusals.Edge.FIX, code);
        }
    }

    /** Verifies the Session signature and opens the engine session (journaled), waiting for the engine's answer. */
    private Login signedLogon(Message message, String address) throws RequestException,
            InterruptedException, ExecutionException, TimeoutException {
        String password = plain(optional(message, TAG_PASSWORD), "Password(554)");
        String signature = plain(optional(message, TAG_RAW_DATA), "RawData(96)");
        if (password == null || signature == null || password.indexOf(':') < 0) {
            throw bad("Password(554) \"validUntil:nonce\" and RawData(96) (the Session signature, hex): required");
        }
        int colon = password.indexOf(':');
        Command login = new Command().reset();
        login.type = CommandType.OPEN_SESSION;
        login.validUntil = positive(password.substring(0, colon), "Password(554) validUntil");
        signing.attach(login, address, positive(password.substring(colon + 1), "Password(554) nonce"), signature,
                plain(optional(message, AGENT_KEY_TAG), "agent key (" + AGENT_KEY_TAG + ")"));
        signing.verify(login);
        CompletableFuture<EngineLoop.Result> opened = new CompletableFuture<>();
        if (!engine.submit(login, opened::complete)) {
            throw RequestException.overloaded();
        }
        EngineLoop.Result result = opened.get(ENGINE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (result.reject() != null) {
            throw new RequestException(422, result.reject().code(),
                    result.reject().name() + ": " + result.reject().message());
        }
        byte[] bytes = login.address;
        long account = engine.query(e -> e.view().accountOfAddress(bytes)).get(ENGINE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return new Login(account, login.address, login.agentKey, result.sequence());
    }

    /**
     * A ClOrdID(11) or OrigClOrdID(41) as the engine's client order id ({@link ClientOrderId#fix}: 1 to 36 characters of
     * A-Z a-z 0-9 . _ : / -; a plain number stays a number), or null after answering a session-level Reject (3) that
     * names the tag and the rule.
     */
    private ClientOrderId clientOrderId(Message m, SessionID sessionId, int tag, String field) throws FieldNotFound {
        try {
            return ClientOrderId.fix(m.getString(tag), field);
        } catch (RequestException e) {
            reports.fieldRejected(sessionId, m.getHeader().getInt(34), m.getHeader().getString(MsgType.FIELD), tag,
                    fixText(e.code(), e.getMessage()));
            return null;
        }
    }

    /**
     * NewOrderSingle (D): an ExecutionReport REJECTED for a refusal (a session-level Reject for a ClOrdID that is not
     * a client order id); accepted orders report through the events.
     */
    private void newOrder(Message m, SessionID sessionId, Login login) throws FieldNotFound {
        String clOrdId = m.getString(TAG_CL_ORD_ID);
        String symbol = m.getString(TAG_SYMBOL);
        char side = m.getChar(TAG_SIDE);
        ClientOrderId id = clientOrderId(m, sessionId, TAG_CL_ORD_ID, "ClOrdID(11)");
        if (id == null) {
            return;
        }
        try {
            InstrumentSpec spec = instruments.bySymbol(plain(symbol, "Symbol(55)"));
            if (spec == null) {
                throw bad("Symbol(55): no instrument " + EdgeDecimals.echo(symbol));
            }
            Command c = FixOrders.order(m, spec, side);
            id.applyTo(c);
            submit(c, login, result -> {
                if (result.reject() != null) {
                    reports.rejected(sessionId, clOrdId, symbol, side, result.sequence(), result.orderId(),
                            Rejects.fixOrderReason(result.reject()), fixText(result.reject()));
                }
            });
        } catch (RequestException e) {
            refusals.refused(EdgeRefusals.Edge.FIX, e.code());
            int reason = instruments.bySymbol(symbol) != null ? Rejects.FIX_OTHER : Rejects.FIX_UNKNOWN;
            reports.rejected(sessionId, clOrdId, symbol, side, 0, 0, reason, fixText(e.code(), e.getMessage()));
        } catch (RuntimeException e) {
            refusals.refused(EdgeRefusals.Edge.FIX, Codes.INTERNAL);
            reports.rejected(sessionId, clOrdId, symbol, side, 0, 0, Rejects.FIX_OTHER, fixText(Codes.INTERNAL,
                    Faults.message("internal error", faults.record("FIX NewOrderSingle", e))));
        }
    }

    /**
     * OrderCancelRequest (F) or OrderCancelReplaceRequest (G), by OrderID(37) if given, else by OrigClOrdID(41) (the
     * order's ClOrdID: its client order id, a text or a number). A refusal answers OrderCancelReject (9) (a session-level
     * Reject for an OrigClOrdID that is not a client order id); success reports through the events (CANCELED, or
     * REPLACED), carrying this request's ClOrdID.
     */
    private void cancelOrReplace(Message m, SessionID sessionId, Login login, boolean replace) throws FieldNotFound {
        String clOrdId = m.getString(TAG_CL_ORD_ID);
        String origClOrdId = m.getString(TAG_ORIG_CL_ORD_ID);
        String orderIdText = optional(m, TAG_ORDER_ID);
        try {
            plain(clOrdId, "ClOrdID(11)");
            plain(origClOrdId, "OrigClOrdID(41)");
            String symbol = plain(m.getString(TAG_SYMBOL), "Symbol(55)");
            InstrumentSpec spec = instruments.bySymbol(symbol);
            if (spec == null) {
                throw bad("Symbol(55): no instrument " + EdgeDecimals.echo(symbol));
            }
            long orderId = orderIdText == null ? 0 : positive(orderIdText, "OrderID(37)");
            ClientOrderId id = ClientOrderId.NONE;
            if (orderId == 0) {
                id = clientOrderId(m, sessionId, TAG_ORIG_CL_ORD_ID, "OrigClOrdID(41)");
                if (id == null) {
                    return;
                }
            }
            Command c = FixOrders.cancelOrReplace(m, spec, orderId, replace);
            id.applyTo(c);
            FixReports.Pending key = new FixReports.Pending(login.account(), orderId, id.key());
            reports.expect(key, clOrdId, origClOrdId);
            try {
                submit(c, login, result -> {
                    reports.forget(key);
                    if (result.reject() != null) {
                        reports.cancelRejected(sessionId, clOrdId, origClOrdId, orderIdText, replace,
                                Rejects.fixCancelReason(result.reject()), fixText(result.reject()));
                    }
                });
            } catch (RequestException | RuntimeException e) {
                reports.forget(key);
                throw e;
            }
        } catch (RequestException e) {
            refusals.refused(EdgeRefusals.Edge.FIX, e.code());
            reports.cancelRejected(sessionId, clOrdId, origClOrdId, orderIdText, replace, Rejects.FIX_OTHER,
                    fixText(e.code(), e.getMessage()));
        } catch (RuntimeException e) {
            refusals.refused(EdgeRefusals.Edge.FIX, Codes.INTERNAL);
            reports.cancelRejected(sessionId, clOrdId, origClOrdId, orderIdText, replace, Rejects.FIX_OTHER,
                    fixText(Codes.INTERNAL, Faults.message("internal error", faults.record("FIX cancel or replace", e))));
        }
    }

    /**
     * Makes {@code c} in the login's session (or for its account, in open mode), rate-limits it and queues it; the
     * reply runs on the engine thread. A full queue is refused as REST's 503.
     */
    private void submit(Command c, Login login, EngineLoop.Reply reply) throws RequestException {
        if (login.address() != null) {
            c.account = 0;
            c.address = login.address();
            c.agentKey = login.agentKey();
            c.sessionId = login.sessionId();
        } else {
            c.account = login.account();
        }
        signing.verify(c);
        long wait = limits.takeAccount(RequestSigning.rateKey(c), System.nanoTime());
        if (wait > 0) {
            throw new RequestException(429, Codes.RATE_LIMITED, limits.ordersRefused(), wait);
        }
        if (!engine.submit(c, reply)) {
            throw RequestException.overloaded();
        }
    }

    /** Sends on the sender thread: a session gone in between (logged out) drops the message. */
    static void send(Message message, SessionID sessionId) {
        try {
            Session.sendToTarget(message, sessionId);
        } catch (SessionNotFound e) {
            // The session logged out since: its client learns the order's state on its next logon or over REST.
        }
    }
}
