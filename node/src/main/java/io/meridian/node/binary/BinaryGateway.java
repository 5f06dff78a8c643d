package io.meridian.node.binary;

import io.meridian.node.EngineLoop;
import io.meridian.node.NodeConfig;
import io.meridian.node.codec.Codes;
import io.meridian.node.http.Gateway;
import io.meridian.sbe.Frames;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The binary (SBE) order-entry listener (docs/binary-protocol.md): a Netty server on {@code httpHost} at
 * {@code binary.port} whose connections speak the schema in {@code sbe/src/main/resources/sbe/order-entry.xml}, framed
 * by a 4-byte little-endian length. It is an edge like REST and WebSocket: requests go through the same {@link Gateway}
 * (pre-journal checks, signature verification, the per-connection and per-account rate limits, shared with those edges)
 * and the same command building ({@link io.meridian.node.codec.Orders#typed}) into the same engine ring.
 *
 * <p>Bounds: frames of at most {@code maxFrameBytes}; {@code maxConnectionsPerAddress} connections from one address;
 * a Logon answered within {@code loginTimeoutMillis}; a connection's unread bytes at most {@code maxOutboundBytes}
 * (then it is logged out as a slow consumer); {@code maxSessions} sessions of {@code retransmitMessages} reports each.
 *
 * <p>The registry of sessions ({@link #logon}) is guarded by its own lock; a Logon is decided on the engine thread,
 * where its engine answer arrives, so the session's report registration ({@link BinaryReports}) happens there too.
 */
public final class BinaryGateway implements AutoCloseable {
    private static final long ENGINE_TIMEOUT_SECONDS = 5;

    private final BinarySettings settings;
    private final EngineLoop engine;
    private final Gateway gateway;
    private final BinaryReports reports = new BinaryReports();
    /** Sessions by signer (guarded by itself); insertion order is not eviction order: the longest detached goes. */
    private final Map<String, BinarySession> sessions = new LinkedHashMap<>();
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup workers = new NioEventLoopGroup(2);
    private final Channel channel;

    /** Starts the listener; the sessions' reports attach to the engine's order events first. */
    public BinaryGateway(NodeConfig config, EngineLoop engine, Gateway gateway) throws InterruptedException {
        this.settings = config.binary();
        this.engine = engine;
        this.gateway = gateway;
        try {
            engine.orderEvents(reports, true).get(ENGINE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot attach the binary reports to the engine: " + e, e);
        }
        int outbound = settings.outboundLimit();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(outbound / 2, outbound))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline(ch);
                    }
                });
        this.channel = bootstrap.bind(config.httpHost(), settings.port()).sync().channel();
    }

    /**
     * One connection: refused over the per-address cap (a Logout with code 503 and the cap, then closed); else the idle
     * timer (heartbeats), the frame decoder (at most {@code maxFrameBytes}; its refusal closes the connection with a
     * Logout, see {@link BinaryHandler#exceptionCaught}) and the handler.
     */
    private void pipeline(SocketChannel ch) {
        InetAddress remote = ch.remoteAddress().getAddress();
        AtomicInteger open = perAddress.computeIfAbsent(remote, a -> new AtomicInteger());
        int now = open.incrementAndGet();
        connections.incrementAndGet();
        ch.closeFuture().addListener(f -> {
            connections.decrementAndGet();
            if (open.decrementAndGet() == 0) {
                perAddress.remove(remote, open);
            }
        });
        BinaryHandler handler = new BinaryHandler(this, gateway, settings);
        if (now > settings.perAddressLimit()) {
            ch.pipeline().addLast(handler.refusing(Codes.OVERLOADED, "too many connections from this address: at most "
                    + settings.perAddressLimit()));
            return;
        }
        long heartbeat = settings.heartbeatInterval();
        ch.pipeline().addLast(new IdleStateHandler(3 * heartbeat, heartbeat, 0, TimeUnit.MILLISECONDS),
                new LengthFieldBasedFrameDecoder(ByteOrder.LITTLE_ENDIAN, settings.frameLimit() + Frames.LENGTH_BYTES,
                        0, Frames.LENGTH_BYTES, 0, Frames.LENGTH_BYTES, true),
                handler);
    }

    /** What a Logon's engine answer leads to: the session, or a refusal's code and text. */
    record Logon(BinarySession session, int code, String problem, BinarySession replaced) {
    }

    /**
     * Engine thread (a Logon's answer): the session of the signer, resumed from after {@code lastSeen} or (with
     * {@code reset}, or none kept) new. A resume the ring cannot serve, or a new session over {@code maxSessions} with
     * none detached to drop, is refused.
     */
    Logon logon(byte[] address, byte[] agentKey, boolean reset, long lastSeen, long account) {
        String key = HexFormat.of().formatHex(address) + "/" + (agentKey == null ? "owner"
                : HexFormat.of().formatHex(agentKey));
        BinarySession dropped = null;
        BinarySession replaced = null;
        BinarySession session;
        synchronized (sessions) {
            session = sessions.get(key);
            if (!reset) {
                if (session == null) {
                    return new Logon(null, Codes.RESEND_TOO_OLD, "no session of this signer is kept to resume (the"
                            + " node restarted, or dropped it): resync via REST and log on with resetSequences", null);
                }
                String problem = session.resendProblem(lastSeen);
                if (problem != null) {
                    return new Logon(null, Codes.RESEND_TOO_OLD, problem, null);
                }
            } else {
                if (session != null) {
                    sessions.remove(key);
                    reports.remove(session);
                    replaced = session;
                } else if (sessions.size() >= settings.sessionLimit()) {
                    dropped = oldestDetached();
                    if (dropped == null) {
                        return new Logon(null, Codes.OVERLOADED, "too many binary sessions: at most "
                                + settings.sessionLimit() + ", all connected", null);
                    }
                    sessions.remove(dropped.key);
                }
                session = new BinarySession(address, agentKey, key, settings.retransmitSlots(), engine,
                        BinaryHandler::slowConsumer);
                sessions.put(key, session);
            }
        }
        if (dropped != null) {
            reports.remove(dropped);
        }
        if (account != 0) {
            reports.add(account, session);
        }
        return new Logon(session, 0, null, replaced);
    }

    private BinarySession oldestDetached() {
        BinarySession oldest = null;
        long since = Long.MAX_VALUE;
        for (BinarySession s : sessions.values()) {
            long detached = s.detachedSince();
            if (detached != 0 && detached < since) {
                since = detached;
                oldest = s;
            }
        }
        return oldest;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Open connections (for tests and metrics). */
    public int connections() {
        return connections.get();
    }

    /** Sessions kept (for tests). */
    public int sessions() {
        synchronized (sessions) {
            return sessions.size();
        }
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        try {
            engine.orderEvents(reports, false).get(ENGINE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // The engine thread failed or is stuck: it hands out no more events either way.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
