package io.meridian.model;

/**
 * Every reason a command can be refused, with a stable numeric code grouped by subsystem:
 * 1xxx command envelope, 2xxx order syntax and parameters, 3xxx book state at the time of the order,
 * 4xxx instrument and asset administration, 5xxx edge parsing (decimal strings), 6xxx ledger (balances and
 * transfers), 7xxx risk (margin, leverage, position limits).
 * Codes never change meaning once published; the gateway returns them as {@code code} with {@link #message()}.
 */
public enum RejectReason {
    COMMAND_OUT_OF_ORDER(1001, "command sequence number is not the next one"),
    TIMESTAMP_WENT_BACKWARDS(1002, "command timestamp is earlier than the previous command's"),
    UNKNOWN_COMMAND(1003, "unknown command type"),
    /**
     * Not the engine's verdict: a cluster's gateway refused the command before sending it, because too many of its
     * commands already wait for the cluster (out of reach, or slow). Nothing was sent or applied; retry later.
     */
    CLUSTER_BACKLOG(1004, "too many commands are waiting for the cluster; this one was not sent: retry later"),

    UNKNOWN_INSTRUMENT(2001, "unknown instrument"),
    INSTRUMENT_NOT_TRADING(2002, "instrument is not open for trading"),
    INVALID_QUANTITY(2003, "quantity must be a positive number of lots"),
    QUANTITY_ABOVE_MAX(2004, "quantity is above the instrument's maximum order size"),
    QUANTITY_BELOW_MIN(2005, "quantity is below the instrument's minimum order size"),
    INVALID_PRICE(2006, "limit price must be a positive number of ticks"),
    PRICE_ABOVE_MAX(2007, "price is above the instrument's maximum price"),
    PRICE_OUTSIDE_BAND(2008, "price is outside the instrument's price band around the reference price"),
    INVALID_TRIGGER_PRICE(2009, "trigger price must be a positive number of ticks"),
    MISSING_TIME_IN_FORCE(2010, "time in force is required"),
    INVALID_EXPIRY(2011, "GTD orders need an expiry time later than the command's timestamp"),
    EXPIRY_ON_NON_GTD(2012, "only GTD orders may carry an expiry time"),
    INVALID_DISPLAY_QUANTITY(2013, "display quantity must be positive and below the order quantity"),
    ICEBERG_NOT_RESTING(2014, "iceberg orders must be GTC or GTD limit orders"),
    POST_ONLY_NOT_RESTING(2015, "post-only orders must be plain GTC or GTD limit orders"),
    MARKET_ORDER_WITH_PRICE(2016, "market orders take no limit price"),
    MARKET_ORDER_MUST_NOT_REST(2017, "market orders must be IOC or FOK"),
    DUPLICATE_CLIENT_ORDER_ID(2018, "client order id is already used by an open order of this account"),
    UNKNOWN_ORDER(2019, "no open order with that id for this account and instrument"),
    INVALID_ACCOUNT(2020, "account id must be positive"),
    INVALID_ORDER_ID(2021, "order id must be positive"),
    AMEND_NOTHING(2022, "amend changes neither price, quantity nor trigger price"),
    AMEND_QUANTITY_NOT_ABOVE_FILLED(2023, "amended quantity must be above the quantity already filled"),
    MISSING_SIDE(2024, "side is required"),
    MISSING_ORDER_TYPE(2025, "order type is required"),
    TRIGGER_ON_PLAIN_ORDER(2026, "only stop and take-profit orders take a trigger price"),
    DUPLICATE_ORDER_ID(2027, "order id is already in use"),
    INSTRUMENT_EXPIRED(2028, "the option has expired and is closed to trading"),
    /**
     * The command's client order id text is not 1 to 36 characters of A-Z a-z 0-9 . _ : / -, or its key is not the
     * command's clientOrderId: a journal or a client that computed the key otherwise (docs/auth.md, "Client order ids").
     * The gateways never send such a command (they refuse the text with 400 BAD_FIELD).
     */
    INVALID_CLIENT_ORDER_ID(2029, "the client order id text is malformed (1 to 36 characters of A-Z a-z 0-9 . _ : / -)"
            + " or the command's clientOrderId is not its key"),

    POST_ONLY_WOULD_CROSS(3001, "post-only order would take liquidity"),
    FOK_NOT_FILLABLE(3002, "fill-or-kill order cannot be filled completely"),
    NO_LIQUIDITY(3003, "market order found an empty opposite book"),
    WOULD_TRIGGER_IMMEDIATELY(3004, "conditional order's trigger price is already crossed"),
    REDUCE_ONLY_WOULD_INCREASE(3005, "reduce-only order would open or increase a position"),
    BOOK_FULL(3006, "the book has reached its order capacity"),
    TOO_MANY_OPEN_ORDERS(3007, "the account already has the most open orders allowed in this book"),

    INSTRUMENT_EXISTS(4001, "an instrument with this id already exists"),
    INVALID_INSTRUMENT(4002, "instrument specification is invalid"),
    INVALID_MARK_PRICE(4003, "mark price must be a positive number of ticks"),
    INVALID_ASSET(4004, "asset specification is invalid"),

    ASSET_EXISTS(4005, "an asset with this id or symbol already exists"),
    INVALID_INDEX(4006, "index specification is invalid"),
    INDEX_EXISTS(4007, "an index with this id already exists"),
    UNKNOWN_INDEX(4008, "unknown index"),
    INVALID_PRICING(4009, "pricing specification is invalid or its index price unit is not a whole number per tick"),
    UNKNOWN_SOURCE(4010, "the index has no price source with that id"),
    NON_POSITIVE_PRICE(4011, "a reported price must be positive"),
    CONFIDENCE_TOO_WIDE(4012, "the report's confidence interval is wider than the index allows"),
    FUTURE_SOURCE_TIMESTAMP(4013, "the source timestamp is later than the command timestamp"),
    SOURCE_OUT_OF_ORDER(4014, "the source timestamp is earlier than the source's last accepted report"),
    INVALID_OPTION(4015, "an OPTION instrument needs valid option terms (index, positive strike, call or put, "
            + "settlement window, volatility), no pricing spec, and the settlement asset of the index's other options; "
            + "other kinds take no option terms"),
    INVALID_STRIKE(4016, "the strike must be a whole number of the index's price units"),
    OPTION_EXPIRY_PASSED(4017, "the option's expiry must be later than the command's timestamp"),
    INVALID_OPTION_MARGIN(4018, "option margin parameters are missing or out of range (docs/risk.md, \"Option margin\")"),
    OPTION_MARGIN_UNPRICEABLE(4019, "under these option margin parameters a listed series cannot be priced within the "
            + "margin table's range; the old parameters stay"),

    MALFORMED_NUMBER(5001, "not a decimal number"),
    TOO_MANY_DECIMALS(5002, "more decimal places than the instrument or asset allows"),
    NUMBER_OUT_OF_RANGE(5003, "number is too large"),
    OFF_TICK(5004, "price is not a multiple of the tick size"),
    OFF_LOT(5005, "quantity is not a multiple of the lot size"),

    UNKNOWN_ASSET(6001, "unknown asset"),
    INVALID_AMOUNT(6002, "amount must be a positive number of minor units"),
    INSUFFICIENT_BALANCE(6003, "the account's free balance is smaller than the amount"),
    INVALID_TRANSFER(6004, "a transfer needs two different accounts of the same owner"),
    INVALID_SUBACCOUNT(6005, "a sub-account must be a fresh account that is neither linked nor an owner"),
    CHAIN_DEPOSIT_CREDITED(6006, "this on-chain deposit was already credited"),
    CHAIN_DEPOSIT_GAP(6007, "on-chain deposits are credited in the vault's order: an earlier one is missing"),
    FORCED_WITHDRAWAL_SERVED(6008, "this forced withdrawal request was already served"),
    FORCED_WITHDRAWAL_GAP(6009, "forced withdrawal requests are served in the vault's order: an earlier one is missing"),

    INSUFFICIENT_MARGIN(7001, "equity after the worst-case fill would not cover the initial margin"),
    LEVERAGE_ABOVE_TIER_MAX(7002, "leverage is above the maximum of the position's margin tier"),
    POSITION_LIMIT(7003, "the position would exceed the instrument's position limit"),
    WITHDRAWAL_BREACHES_MARGIN(7004, "the withdrawal would leave equity below the initial margin requirement"),
    INVALID_LEVERAGE(7005, "leverage must be a whole number from 1 to the instrument's maximum"),
    INVALID_FEE_TIER(7006, "no such fee tier"),
    MARGIN_MODE_LOCKED(7007, "the margin mode can change only while the position is flat and has no open orders"),
    NOT_ISOLATED(7008, "the position is not in isolated margin mode"),
    ISOLATED_MARGIN_BREACH(7009, "removing this much would leave the isolated position below its initial margin"),
    MISSING_MARGIN_MODE(7010, "margin mode is required"),
    INVALID_COLLATERAL(7011,
            "collateral needs two different registered assets, a price >= 0 (0: from an index) and a weight of 1 to 1e6 ppm"),
    INDEX_STALE_REDUCE_ONLY(7012, "the instrument's index is stale: only reduce-only orders are accepted"),
    OPTION_NOT_PRICED(7013, "the option's index has not published a usable price yet, so its margin is unknown"),
    NOT_FOR_OPTIONS(7014, "options are margined by the option rules: leverage and isolated mode do not apply"),
    INVALID_ACCOUNT_MARGIN_MODE(7015,
            "portfolio margin is account-wide: send instrument -1 with PORTFOLIO (opt in) or CROSS (standard margin)"),
    RISK_BOUNDS_NOT_SET(7016, "the instrument has no governance risk bounds yet, so its risk multiplier cannot change"),
    RISK_SCALE_OUT_OF_BOUNDS(7017, "the risk multiplier is outside the instrument's governance floor and ceiling"),
    RISK_SCALE_TOO_FAST(7018, "the change exceeds the bounds' maximum change per hour since the previous change"),
    RISK_SCALE_WITHIN_HYSTERESIS(7019, "the change is smaller than the bounds' hysteresis"),
    RISK_SCALE_NOTICE(7020, "the change must take effect no sooner than the bounds' notice and within a day"),
    NOT_MODEL_MARGINED(7021, "options are margined by the option rules: a risk multiplier does not apply to them"),

    // Authorisation: 8001-8011 are also the auth library's reasons: each io.meridian.auth.AuthReject is one of these
    // constants (its code and description are read from here), so a client sees one code whether the gateway or the
    // engine refused; 8012 and up are the engine's own.
    AUTH_MALFORMED(8001, "the request or one of its fields cannot be parsed"),
    BAD_SIGNATURE(8002, "the signature does not verify"),
    MALLEABLE_SIGNATURE(8003, "the signature's s value is in the upper half of the curve order"),
    WRONG_SIGNER(8004, "the signature is valid but not by the account's owner"),
    AGENT_NOT_AUTHORISED(8005, "the agent key is not approved by the account's owner"),
    AGENT_EXPIRED(8006, "the agent key's approval has expired"),
    AGENT_NOT_PERMITTED(8007, "agent keys may not sign this kind of request"),
    AGENT_LIMIT(8008, "the owner has too many agent keys"),
    NONCE_REUSED(8009, "the nonce was already used by this signer"),
    NONCE_TOO_OLD(8010, "the nonce is older than the signer's replay window"),
    NONCE_TOO_NEW(8011, "the nonce is too far in the future"),
    UNKNOWN_ADDRESS(8012, "no account belongs to this address (deposit to it first)"),
    ACCOUNT_MISMATCH(8013, "the command names an account that does not belong to its address"),
    SIGNATURE_REQUIRED(8014, "a request made by address must be signed"),
    NOT_SIGNABLE(8015, "this command cannot be made by address"),
    INVALID_SESSION(8016, "no open session of this address and key with that id (unknown, expired or revoked)"),
    NOT_IN_SESSION(8017, "only orders, cancels, amends and cancel-alls can be made in a session"),
    INVALID_SESSION_LENGTH(8018, "a session must end after now and within 24 hours"),

    // Governance (docs/risk.md, "Governance").
    INVALID_GOVERNANCE(9001, "governance needs 1 to 16 distinct admin addresses, a threshold of 1 to their number and a "
            + "timelock of at most 30 days"),
    GOVERNANCE_ALREADY_SET(9002, "the venue's governance is set once, at genesis"),
    GOVERNANCE_NOT_SET(9003, "the venue has no governance: no admin can propose"),
    NOT_AN_ADMIN(9004, "the signer is not one of the venue's admins"),
    INVALID_RISK_BOUNDS(9005, "risk bounds must satisfy 0.1x <= floor <= ceiling <= 10x, a change per hour >= 1 ppm, "
            + "hysteresis <= ceiling - floor and a notice of at most a day"),
    UNKNOWN_PROPOSAL(9006, "no open proposal with that id (never made, executed, canceled or expired)"),
    ALREADY_APPROVED(9007, "this admin already approved the proposal"),
    PROPOSAL_QUEUED(9008, "the proposal has its approvals and waits for its timelock"),
    TOO_MANY_PROPOSALS(9009, "the venue has the most open proposals it keeps (16): approve, cancel or let some expire"),
    CHAIN_BOUNDS_APPLIED(9010, "this on-chain risk-bounds publication was already applied"),
    CHAIN_BOUNDS_GAP(9011, "on-chain risk-bounds publications are applied in the vault's order: an earlier one is missing");

    private static final RejectReason[] VALUES = values();

    private final int code;
    private final String message;

    RejectReason(int code, String message) {
        this.code = code;
        this.message = message;
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }

    /** The reason with the given code, or null when no reason has it. */
    public static RejectReason ofCode(int code) {
        for (RejectReason reason : VALUES) {
            if (reason.code == code) {
                return reason;
            }
        }
        return null;
    }
}
