package io.meridian.node.http;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.MarginMode;
import io.meridian.model.Side;
import io.meridian.node.NodeConfig;
import io.meridian.node.codec.ClientOrderId;
import io.meridian.node.codec.Ids;
import io.meridian.node.codec.InstrumentRef;
import io.meridian.node.codec.Orders;
import io.meridian.node.codec.RequestException;
import io.meridian.node.codec.Units;
import io.meridian.node.codec.Times;
import io.meridian.node.SettlementView;
import io.meridian.node.codec.Decimals;
import io.meridian.node.history.HistoryQuery;
import io.meridian.node.history.WithdrawalHistory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.meridian.node.codec.Decimals.price;
import static io.meridian.node.codec.Decimals.quantity;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;

/**
 * An account's own data (the summary, positions, balances, fills, greeks) and its changes other than orders
 * (settings, withdrawals, agent keys).
 */
final class AccountRoutes {
    /** Account settings for one instrument: {@code leverage} (whole number) or {@code marginMode}. */
    record SettingsRequest(Long account, InstrumentRef instrument, Integer leverage, String marginMode, String address,
                           Long nonce, String signature, String agentKey) {
    }

    /**
     * A withdrawal of {@code amount} (whole units of the asset, a decimal) to {@code destination}; signed by the owner
     * (agents may not withdraw), or by account id in auth mode open (then {@code destination} is optional).
     */
    record WithdrawalRequest(Long account, int asset, BigDecimal amount, String destination, String address,
                             Long nonce, String signature) {
    }

    /**
     * The owner's approval ({@code validUntil} and {@code name} given) or revocation of an agent key, signed by the
     * owner (EIP-712 ApproveAgent or RevokeAgent).
     */
    record AgentRequest(String address, String agentKey, String name, Long validUntil, Long nonce, String signature) {
    }

    private final Gateway gateway;
    private final AccountViews views;

    AccountRoutes(Gateway gateway) {
        this.gateway = gateway;
        this.views = new AccountViews(gateway);
    }

    List<Route> routes() {
        AuthRequirement own = AuthRequirement.PRIVATE_READ;
        AuthRequirement signed = AuthRequirement.SIGNED_COMMAND;
        return List.of(
                Route.of(GET, "/v1/accounts/{account}", own, RateClass.PRIVATE_READ, this::account),
                Route.of(GET, "/v1/positions", own, RateClass.PRIVATE_READ, this::positions)
                        .query("account", "address", "instrument"),
                Route.of(GET, "/v1/balances", own, RateClass.PRIVATE_READ, this::balances).query("account", "address"),
                Route.of(GET, "/v1/fills", own, RateClass.PRIVATE_READ, this::fills)
                        .query("account", "address", "instrument").query(Paging.PARAMETERS),
                Route.of(GET, "/v1/greeks", own, RateClass.PRIVATE_READ, this::greeks).query("account", "address"),
                Route.of(POST, "/v1/settings", signed, RateClass.ACCOUNT_CHANGE, this::settings),
                Route.of(POST, "/v1/withdrawals", signed, RateClass.ACCOUNT_CHANGE, this::withdrawal),
                Route.of(GET, "/v1/withdrawals", own, RateClass.PRIVATE_READ, this::withdrawals)
                        .query("account", "address", "limit"),
                Route.of(POST, "/v1/agents", signed, RateClass.ACCOUNT_CHANGE, x -> agent(x, true)),
                Route.of(POST, "/v1/agents/revoke", signed, RateClass.ACCOUNT_CHANGE, x -> agent(x, false)));
    }

    /** {@code GET /v1/accounts/{account or 0xaddress}}. */
    private void account(Exchange x) throws RequestException {
        String named = x.parameter("account");
        if (named.startsWith("0x") || named.startsWith("0X")) {
            gateway.withAccountOf(x, named, opened -> x.reply(gateway.engine().query(e -> views.account(e, opened))));
            return;
        }
        long account = Ids.number(named, "account");
        x.reply(gateway.engine().query(e -> views.account(e, account)));
    }

    /** {@code GET /v1/positions?account=A[&instrument=I]}. */
    private void positions(Exchange x) throws RequestException {
        long account = x.account();
        List<InstrumentSpec> specs = onlyInstrument(x);
        x.reply(gateway.engine().query(e -> views.positions(e, account, specs)));
    }

    /** {@code GET /v1/balances?account=A}. */
    private void balances(Exchange x) throws RequestException {
        long account = x.account();
        x.reply(gateway.engine().query(e -> views.balances(e, account)));
    }

    /**
     * {@code GET /v1/fills?account=A[&instrument=I][&limit][&fromId][&startTime][&endTime][&cursor]}: the newest fills
     * first (oldest first from {@code fromId}, a command sequence), in pages.
     */
    private void fills(Exchange x) throws RequestException {
        long account = x.account();
        String only = x.query("instrument");
        int instrument = only == null ? 0 : gateway.instruments().require(only).id();
        HistoryQuery page = Paging.query(x, instrument, 50);
        Paging.reply(x, gateway.engine().fills(account, page), f -> {
            InstrumentSpec spec = gateway.instruments().get(f.instrument());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sequence", f.sequence());
            Times.put(m, "timestamp", f.timestamp());
            m.put("instrument", f.instrument());
            m.put("tradeId", f.tradeId());
            m.put("orderId", f.orderId());
            Object clientOrderId = ClientOrderId.echo(f.clientOrderId(), f.clientOrderText());
            if (clientOrderId != null) {
                m.put("clientOrderId", clientOrderId);
            }
            m.put("side", f.side() == Side.BUY ? "buy" : "sell");
            m.put("price", price(f.price(), spec));
            m.put("quantity", quantity(f.quantity(), spec));
            if (f.via() == null) {
                m.put("liquidity", String.valueOf(f.liquidity()).toLowerCase(Locale.ROOT));
            } else {
                m.put("via", f.via());
            }
            return m;
        });
    }

    /** {@code GET /v1/greeks?account=A}: option positions with their greeks and margin per index. */
    private void greeks(Exchange x) throws RequestException {
        long account = x.account();
        Map<Integer, Integer> decimals = new LinkedHashMap<>();
        for (NodeConfig.Index index : gateway.config().markets().indexes()) {
            decimals.put(index.id(), index.priceDecimals());
        }
        Map<String, Integer> scales = new LinkedHashMap<>();
        for (NodeConfig.Asset asset : gateway.config().assets()) {
            scales.put(asset.symbol(), asset.scale());
        }
        x.reply(gateway.engine().query(e -> PortfolioGreeks.of(e, account, gateway.instruments().byId(),
                gateway.optionTerms(), decimals, scales)));
    }

    /** The instrument named by the optional {@code instrument} parameter, or every instrument. */
    List<InstrumentSpec> onlyInstrument(Exchange x) throws RequestException {
        return gateway.instruments().onlyOrAll(x.query("instrument"));
    }

    /** {@code POST /v1/settings}: leverage or margin mode of one instrument, or the account-wide portfolio mode. */
    private void settings(Exchange x) throws RequestException {
        SettingsRequest settings = x.body(SettingsRequest.class);
        Command c = settingsCommand(settings, gateway.instruments());
        gateway.signing().attach(c, settings.address(), settings.nonce(), settings.signature(), settings.agentKey());
        gateway.command(c, null, x.context().channel(), x.responder());
    }

    /**
     * The SET_LEVERAGE or SET_MARGIN_MODE command of a settings body (this route and the typed-data route build it
     * here, so what the latter says to sign is what the former checks): 400 without a known instrument (unless the
     * mode is account-wide, {@code portfolio} or {@code standard}, the engine's instrument -1) or without exactly one
     * of leverage and margin mode.
     */
    static Command settingsCommand(SettingsRequest settings, io.meridian.node.codec.Instruments instruments)
            throws RequestException {
        // The account-wide modes (portfolio margin on or off) name no instrument: the engine's instrument -1.
        boolean accountWide = settings.marginMode() != null
                && List.of("portfolio", "standard").contains(settings.marginMode().toLowerCase(Locale.ROOT));
        InstrumentSpec spec = accountWide || settings.instrument() == null ? null : instruments.find(settings.instrument());
        if ((spec == null && !accountWide) || (settings.leverage() == null) == (settings.marginMode() == null)) {
            throw RequestException.badField("a known instrument and exactly one of leverage or marginMode: required");
        }
        Command c = new Command().reset();
        c.account = Orders.accountId(settings.account());
        c.instrument = accountWide ? Command.ALL_INSTRUMENTS : spec.id();
        if (settings.leverage() != null) {
            c.type = CommandType.SET_LEVERAGE;
            c.leverage = settings.leverage();
        } else {
            c.type = CommandType.SET_MARGIN_MODE;
            c.marginMode = switch (settings.marginMode().toLowerCase(Locale.ROOT)) {
                case "cross", "standard" -> MarginMode.CROSS;
                case "isolated" -> MarginMode.ISOLATED;
                case "portfolio" -> MarginMode.PORTFOLIO;
                default -> throw RequestException.badField("marginMode: must be cross, isolated, portfolio or standard");
            };
        }
        return c;
    }

    /**
     * {@code GET /v1/withdrawals?account=A[&limit=N]}: the account's accepted withdrawals, newest first (limit 1..100,
     * default 20; {@link WithdrawalHistory}), each with its settlement: on a node with a chain, where the settlement
     * loop has it ({@link SettlementView#withdrawal}, read here on the I/O thread), else {@code "no_chain"}.
     */
    private void withdrawals(Exchange x) throws RequestException {
        long account = x.account();
        int limit = (int) x.number("limit", 20, 1, WithdrawalHistory.PER_ACCOUNT);
        x.reply(gateway.engine().history((e, h) -> h.withdrawals().recent(account, limit)).thenApplyAsync(list -> {
            SettlementView chain = gateway.engine().settlement();
            List<Map<String, Object>> out = new ArrayList<>(list.size());
            for (WithdrawalHistory.Withdrawal w : list) {
                NodeConfig.Asset asset = gateway.asset(w.asset());
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("sequence", w.sequence());
                Times.put(m, "timestamp", w.timestamp());
                m.put("asset", asset == null ? null : asset.symbol());
                m.put("assetId", w.asset());
                m.put("amount", asset == null ? Long.toString(w.amount()) : Decimals.amount(w.amount(), asset.scale()));
                m.put("destination", w.destination());
                if (chain == null) {
                    m.put("status", "no_chain");
                    m.put("batchId", null);
                    m.put("txHash", null);
                } else {
                    m.putAll(chain.withdrawal(w.sequence()));
                }
                out.add(m);
            }
            return out;
        }, x.executor()));
    }

    /** {@code POST /v1/withdrawals}. */
    private void withdrawal(Exchange x) throws RequestException {
        WithdrawalRequest w = x.body(WithdrawalRequest.class);
        Command c = withdrawalCommand(w, gateway);
        gateway.signing().attach(c, w.address(), w.nonce(), w.signature(), null);
        gateway.command(c, null, x.context().channel(), x.responder());
    }

    /**
     * The WITHDRAW command of a withdrawal body (this route and the typed-data route build it here): 400 for an unknown
     * asset, no amount, an amount off the asset's decimals, or, on a node that settles on chain, an asset its vault
     * does not hold. A signed withdrawal names its {@code destination}.
     */
    static Command withdrawalCommand(WithdrawalRequest w, Gateway gateway) throws RequestException {
        NodeConfig.Asset asset = gateway.asset(w.asset());
        if (asset == null || w.amount() == null) {
            throw RequestException.badField("asset and amount: a known asset and an amount are required");
        }
        if (gateway.config().chain() != null && !gateway.config().chain().assets().containsValue(asset.id())) {
            // On a node that settles on chain, money leaves only through the vault: a withdrawal of an asset the vault
            // does not hold could never be paid.
            throw RequestException.badField("asset: " + asset.id() + " is not settled on chain (chain.assets)");
        }
        Command c = new Command().withdraw(Orders.accountId(w.account()), asset.id(),
                Units.units(w.amount(), Units.unitOf(asset.scale()), "amount"));
        if (w.destination() != null || w.address() != null) {
            c.destination = Ids.address(w.destination(), "destination");
        }
        return c;
    }

    /** {@code POST /v1/agents} (approve) and {@code POST /v1/agents/revoke}. */
    private void agent(Exchange x, boolean approve) throws RequestException {
        AgentRequest a = x.body(AgentRequest.class);
        if (a.agentKey() == null || (approve && (a.name() == null || a.validUntil() == null))) {
            throw RequestException.badField(approve ? "agentKey, name and validUntil: required" : "agentKey: required");
        }
        Command c = new Command().reset();
        c.type = approve ? CommandType.APPROVE_AGENT : CommandType.REVOKE_AGENT;
        c.agentName = approve ? a.name() : null;
        c.validUntil = approve ? a.validUntil() : 0;
        gateway.signing().attach(c, a.address(), a.nonce(), a.signature(), null);
        c.agentKey = Ids.agentKey(a.agentKey());
        gateway.command(c, null, x.context().channel(), x.responder());
    }
}
