package io.meridian.model;

/** Every kind of input the state machine accepts. Imperative names; the engine answers with past-tense events. */
public enum CommandType {
    /** Create an instrument from {@link Command#instrumentSpec} (and, for an option, {@link Command#optionSpec}). */
    ADD_INSTRUMENT,
    /** Place an order: all order fields of {@link Command}. */
    PLACE_ORDER,
    /** Cancel by {@link Command#orderId}, or by {@link Command#clientOrderId} when orderId is 0. */
    CANCEL_ORDER,
    /** Cancel every open order of the account, in one instrument or (instrument = -1) in all. */
    CANCEL_ALL,
    /** Change price, quantity and/or trigger price of an open order (0 leaves a field unchanged). */
    AMEND_ORDER,
    /**
     * Set the instrument's mark price; fires mark-triggered conditional orders. For an option, the volatility the
     * price implies at the current index also becomes the mark volatility of its strike and expiry.
     */
    SET_MARK_PRICE,
    /** Advance time only: expires GTD orders due by the timestamp. */
    TIME_TICK,
    /** Register an asset from {@link Command#assetSpec}; instruments settle in registered assets. */
    ADD_ASSET,
    /** Credit {@link Command#amount} minor units of {@link Command#asset} to the account from outside the venue. */
    DEPOSIT,
    /** Pay {@link Command#amount} minor units of {@link Command#asset} out of the account. */
    WITHDRAW,
    /** Set the account's leverage for the instrument to {@link Command#leverage}. */
    SET_LEVERAGE,
    /** Make {@link Command#counterparty}, a fresh account, a sub-account of {@link Command#account}. */
    LINK_SUBACCOUNT,
    /** Move {@link Command#amount} of {@link Command#asset} from the account to {@link Command#counterparty}. */
    TRANSFER,
    /** Put the account in fee tier {@link Command#feeTier} (0 = the instruments' own rates). */
    SET_FEE_TIER,
    /**
     * Set the account's margin mode in the instrument to {@link Command#marginMode}; only while flat with no orders.
     * With instrument {@link Command#ALL_INSTRUMENTS} it sets the account-wide option margin mode instead:
     * {@link MarginMode#PORTFOLIO} opts into portfolio margin, {@link MarginMode#CROSS} returns to standard margin.
     */
    SET_MARGIN_MODE,
    /** Move {@link Command#amount} into (positive) or out of (negative) the isolated margin of a position. */
    ADJUST_ISOLATED_MARGIN,
    /**
     * Let {@link Command#asset} count as collateral for positions settled in {@link Command#settlementAsset}, valued at
     * {@link Command#price} settlement minor units per whole unit of the asset, weighted by
     * {@link Command#collateralWeightPpm} (a 5% haircut is 950,000). Sent again to update the price.
     */
    SET_COLLATERAL,
    /** Creates an index from several price sources ({@link Command#indexSpec}). */
    ADD_INDEX,
    /** One price report from one source of an index; recomputes the index and the marks priced from it. */
    ORACLE_REPORT,
    /**
     * The owner ({@link Command#address}) approves an agent key ({@link Command#agentKey}) to sign orders and cancels
     * until {@link Command#validUntil}; carries the owner's EIP-712 signature and nonce.
     */
    APPROVE_AGENT,
    /** The owner revokes an agent key; carries the owner's EIP-712 signature and nonce. */
    REVOKE_AGENT,
    /**
     * Opens an authenticated session for {@link Command#address} (signed by the owner or an approved agent key) until
     * {@link Command#validUntil}: orders and cancels made in it carry its {@link Command#sessionId} instead of their
     * own signatures.
     */
    OPEN_SESSION,
    /**
     * Sets the option margin parameters (standard and portfolio) of the index {@link Command#indexId} to
     * {@link Command#optionMarginSpec}: an operator command. Applies at once to every account with options or linked
     * futures on the index (they are re-measured, and liquidated if now under maintenance); parameters set before the
     * index's first option is listed apply from its listing.
     */
    SET_OPTION_MARGIN,
    /**
     * The venue's genesis of governance ({@link Command#governanceSpec}): its admin addresses, threshold and timelock.
     * An operator command accepted once; refused with {@code GOVERNANCE_ALREADY_SET} afterwards.
     */
    SET_GOVERNANCE,
    /**
     * An admin ({@link Command#address}, signed) proposes risk bounds ({@link Command#riskBounds}) for the instrument;
     * the proposal's id is the command's sequence and the proposer's approval is counted.
     */
    PROPOSE_RISK_BOUNDS,
    /**
     * An admin approves proposal {@link Command#proposalId}; at the threshold it is queued and takes effect after the
     * timelock.
     */
    APPROVE_PROPOSAL,
    /** An admin vetoes proposal {@link Command#proposalId}, pending or queued: any one admin may. */
    CANCEL_PROPOSAL,
    /**
     * Schedules the instrument's risk multiplier {@link Command#riskMultiplierPpm} to take effect at
     * {@link Command#effectiveAt}: the volatility controller's operator command, checked against the instrument's
     * governance bounds (docs/risk.md, "Volatility-driven risk parameters"). Replaces a change still pending.
     */
    SET_RISK_SCALE,
    /**
     * The settlement vault's forced withdrawal request {@link Command#forcedRef} (its id + 1) for {@link Command#address}
     * and {@link Command#asset}, journaled by the operator: the engine withdraws the account's free balance of the asset
     * to the address itself and fills in {@link Command#amount} with what it paid out (0 when nothing is free, or the
     * address has no account). Requests are served in the vault's order, each once (docs/settlement.md).
     */
    FORCED_WITHDRAWAL,
    /**
     * Risk bounds the settlement vault's governor (the M-of-N multisig, after its timelock) published on chain, journaled
     * by the operator once confirmed: {@link Command#chainRef} (the publication's {@code ref}, consecutive from 1),
     * {@link Command#instrument} and {@link Command#riskBounds}. The engine puts them in force at once, as an executed
     * proposal; one it cannot use (an unlisted or option instrument, bounds it refuses) is consumed and announced
     * canceled, so the ones behind it are not held up (docs/risk.md, "Governance on chain").
     */
    CHAIN_RISK_BOUNDS;

    private static final CommandType[] VALUES = values();

    public static CommandType ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
