package io.meridian.model;

import java.util.List;

/**
 * One input to the state machine. A mutable flyweight so that producers (the sequencer, benchmarks, replay)
 * can reuse instances and the hot path allocates nothing; the engine reads it during {@code apply} and keeps
 * no reference. Fields a command type does not use are ignored. {@link #reset()} returns every field to its
 * "absent" value.
 *
 * <p>Sequence number and timestamp are stamped by the sequencer, never by the engine: time is an input.
 */
public final class Command {
    /** Instrument value meaning "all instruments" for {@link CommandType#CANCEL_ALL}. */
    public static final int ALL_INSTRUMENTS = -1;

    public CommandType type;
    /** Strictly increasing by one per command, assigned by the sequencer. */
    public long sequence;
    /** Nanoseconds since the epoch, assigned by the sequencer; never decreases. */
    public long timestamp;
    public long account;
    public int instrument;
    /** Exchange order id: assigned by the sequencer for PLACE_ORDER, the target for cancel/amend. */
    public long orderId;
    /**
     * The client's own id for the order, unique among the account's open orders on the instrument; 0 = none. When the
     * client gave its id as text ({@link #clientOrderText}), this is the text's key (docs/auth.md, "Client order ids").
     */
    public long clientOrderId;
    /**
     * The client order id as the client wrote it, when it was given as text (1 to 36 characters of
     * {@code A-Z a-z 0-9 . _ : / -}), echoed back wherever the id appears; null when it was given as a number or not at
     * all. {@link #clientOrderId} must be its key: the engine refuses the command otherwise.
     */
    public String clientOrderText;
    public Side side;
    public OrderType orderType;
    public TimeInForce timeInForce;
    /** Limit price in ticks (0 = none), or the new price for an amend, or the mark price for SET_MARK_PRICE. */
    public long price;
    /** Quantity in lots; for an amend, the new total quantity including what has filled (0 = unchanged). */
    public long quantity;
    /** Trigger price in ticks for conditional orders (0 = none), or the new trigger price for an amend. */
    public long triggerPrice;
    public TriggerSource triggerSource = TriggerSource.LAST;
    /** Visible quantity of an iceberg order in lots; 0 = fully visible. */
    public long displayQuantity;
    /** Expiry timestamp of a GTD order; 0 = none. */
    public long expireAt;
    public PostOnly postOnly = PostOnly.NONE;
    public boolean reduceOnly;
    public SelfTradePrevention selfTradePrevention = SelfTradePrevention.NONE;
    /** The instrument to create, for ADD_INSTRUMENT. */
    public InstrumentSpec instrumentSpec;
    /** The instrument's margin table for ADD_INSTRUMENT; null = the engine's default table. */
    public List<MarginBracket> marginBrackets;
    /** Largest position (worst case, resting orders included) an account may hold in lots, for ADD_INSTRUMENT; 0 = none. */
    public long positionLimit;
    /** The other account of a TRANSFER (the receiver) or of LINK_SUBACCOUNT (the new sub-account). */
    public long counterparty;
    /** The settlement asset a SET_COLLATERAL applies to. */
    public int settlementAsset;
    /** Weight of the collateral in ppm for SET_COLLATERAL: 1,000,000 minus the haircut. */
    public long collateralWeightPpm;
    /** Margin mode for SET_MARGIN_MODE. */
    public MarginMode marginMode;
    /** Fee tier for SET_FEE_TIER. */
    public int feeTier;
    /** Leverage for SET_LEVERAGE. */
    public int leverage;
    /** The asset to register, for ADD_ASSET. */
    public AssetSpec assetSpec;
    /** Asset id for DEPOSIT and WITHDRAW. */
    public int asset;
    /** Amount in the asset's minor units for DEPOSIT, WITHDRAW and TRANSFER; signed for ADJUST_ISOLATED_MARGIN. */
    public long amount;
    /** The index to create, for ADD_INDEX. */
    public IndexSpec indexSpec;
    /** How ADD_INSTRUMENT's mark price and funding follow an index; null = mark set by SET_MARK_PRICE only. */
    public PricingSpec pricingSpec;
    /**
     * The option terms of ADD_INSTRUMENT when the instrument is an {@link InstrumentKind#OPTION}; null for every other
     * instrument (and an option without them is rejected).
     */
    public OptionSpec optionSpec;
    /** The option margin parameters for SET_OPTION_MARGIN, of the index {@link #indexId}. */
    public OptionMarginSpec optionMarginSpec;
    /** Index id for ORACLE_REPORT. */
    public int indexId;
    /** Source id (position in the index's source list) for ORACLE_REPORT. */
    public int sourceId;
    /** Confidence interval (same units as the price) for ORACLE_REPORT; negative = none given. */
    public long confidence = -1;
    /** The source's own timestamp of an ORACLE_REPORT (command clock units, epoch nanoseconds). */
    public long sourceTimestamp;

    // ---- Authorisation (see docs/auth.md). A command that names an address is a user's request: the engine resolves
    // the account from the address, checks the signer's approval and nonce, and the journal keeps the signature so that
    // `meridian verify --signatures` can prove the request was authorised. Byte arrays are never modified once set. ----

    /** The owner's Ethereum address (20 bytes); null for operator commands that name the account by id. */
    public byte[] address;
    /** The Ed25519 agent key (32 bytes) that signed on the owner's behalf; null when the owner signed. */
    public byte[] agentKey;
    /** The signature: 65 bytes r||s||v of the owner (secp256k1, EIP-712), or 64 bytes of the agent (Ed25519). */
    public byte[] signature;
    /** The signer's nonce (Unix epoch milliseconds by convention), part of what was signed. */
    public long nonce;
    /** Where a signed WITHDRAW sends the funds (20-byte address); part of what the owner signed. */
    public byte[] destination;
    /** The label of an APPROVE_AGENT. */
    public String agentName;
    /** End of an APPROVE_AGENT's or OPEN_SESSION's validity (Unix epoch milliseconds, exclusive). */
    public long validUntil;
    /**
     * The session a request was made in, instead of its own signature: the sequence of the OPEN_SESSION command that
     * authenticated the connection (0 = none).
     */
    public long sessionId;

    // ---- Governance and volatility-driven risk parameters (docs/risk.md). ----

    /** SET_GOVERNANCE: the admins, threshold and timelock. */
    public GovernanceSpec governanceSpec;
    /** PROPOSE_RISK_BOUNDS: the bounds proposed for {@link #instrument}. */
    public RiskBounds riskBounds;
    /** APPROVE_PROPOSAL and CANCEL_PROPOSAL: the proposal (the sequence of its PROPOSE_RISK_BOUNDS). */
    public long proposalId;
    /** SET_RISK_SCALE: the multiplier of the listed risk parameters, ppm (1,000,000 = as listed). */
    public long riskMultiplierPpm;
    /** SET_RISK_SCALE: when the change takes effect (command clock, epoch nanoseconds). */
    public long effectiveAt;
    /**
     * A DEPOSIT credited from the settlement vault on chain: the vault's deposit id (consecutive from 1), so that each
     * on-chain deposit is credited exactly once and in order (docs/settlement.md); 0 for any other deposit.
     */
    public long chainDepositId;
    /** FORCED_WITHDRAWAL: the vault's forced request id + 1 (consecutive from 1). */
    public long forcedRef;
    /** CHAIN_RISK_BOUNDS: the vault's risk-bounds publication ref (consecutive from 1). */
    public long chainRef;

    public Command reset() {
        type = null;
        sequence = 0;
        timestamp = 0;
        account = 0;
        instrument = 0;
        orderId = 0;
        clientOrderId = 0;
        clientOrderText = null;
        side = null;
        orderType = null;
        timeInForce = null;
        price = 0;
        quantity = 0;
        triggerPrice = 0;
        triggerSource = TriggerSource.LAST;
        displayQuantity = 0;
        expireAt = 0;
        postOnly = PostOnly.NONE;
        reduceOnly = false;
        selfTradePrevention = SelfTradePrevention.NONE;
        instrumentSpec = null;
        assetSpec = null;
        asset = 0;
        amount = 0;
        marginBrackets = null;
        positionLimit = 0;
        leverage = 0;
        counterparty = 0;
        feeTier = 0;
        marginMode = null;
        settlementAsset = 0;
        collateralWeightPpm = 0;
        indexSpec = null;
        pricingSpec = null;
        optionSpec = null;
        optionMarginSpec = null;
        indexId = 0;
        sourceId = 0;
        confidence = -1;
        sourceTimestamp = 0;
        address = null;
        agentKey = null;
        signature = null;
        nonce = 0;
        destination = null;
        agentName = null;
        validUntil = 0;
        sessionId = 0;
        governanceSpec = null;
        riskBounds = null;
        proposalId = 0;
        riskMultiplierPpm = 0;
        effectiveAt = 0;
        chainDepositId = 0;
        forcedRef = 0;
        chainRef = 0;
        return this;
    }

    public Command copyFrom(Command other) {
        type = other.type;
        sequence = other.sequence;
        timestamp = other.timestamp;
        account = other.account;
        instrument = other.instrument;
        orderId = other.orderId;
        clientOrderId = other.clientOrderId;
        clientOrderText = other.clientOrderText;
        side = other.side;
        orderType = other.orderType;
        timeInForce = other.timeInForce;
        price = other.price;
        quantity = other.quantity;
        triggerPrice = other.triggerPrice;
        triggerSource = other.triggerSource;
        displayQuantity = other.displayQuantity;
        expireAt = other.expireAt;
        postOnly = other.postOnly;
        reduceOnly = other.reduceOnly;
        selfTradePrevention = other.selfTradePrevention;
        instrumentSpec = other.instrumentSpec;
        assetSpec = other.assetSpec;
        asset = other.asset;
        amount = other.amount;
        marginBrackets = other.marginBrackets;
        positionLimit = other.positionLimit;
        leverage = other.leverage;
        counterparty = other.counterparty;
        feeTier = other.feeTier;
        marginMode = other.marginMode;
        settlementAsset = other.settlementAsset;
        collateralWeightPpm = other.collateralWeightPpm;
        indexSpec = other.indexSpec;
        pricingSpec = other.pricingSpec;
        optionSpec = other.optionSpec;
        optionMarginSpec = other.optionMarginSpec;
        indexId = other.indexId;
        sourceId = other.sourceId;
        confidence = other.confidence;
        sourceTimestamp = other.sourceTimestamp;
        address = other.address;
        agentKey = other.agentKey;
        signature = other.signature;
        nonce = other.nonce;
        destination = other.destination;
        agentName = other.agentName;
        validUntil = other.validUntil;
        sessionId = other.sessionId;
        governanceSpec = other.governanceSpec;
        riskBounds = other.riskBounds;
        proposalId = other.proposalId;
        riskMultiplierPpm = other.riskMultiplierPpm;
        effectiveAt = other.effectiveAt;
        chainDepositId = other.chainDepositId;
        forcedRef = other.forcedRef;
        chainRef = other.chainRef;
        return this;
    }

    /** Fills in a plain limit order. Sequence and timestamp are left to the caller. */
    public Command limit(long account, int instrument, long orderId, Side side, long price, long quantity,
                         TimeInForce timeInForce) {
        reset();
        this.type = CommandType.PLACE_ORDER;
        this.account = account;
        this.instrument = instrument;
        this.orderId = orderId;
        this.side = side;
        this.orderType = OrderType.LIMIT;
        this.price = price;
        this.quantity = quantity;
        this.timeInForce = timeInForce;
        return this;
    }

    /** Fills in a market order (IOC). */
    public Command market(long account, int instrument, long orderId, Side side, long quantity) {
        reset();
        this.type = CommandType.PLACE_ORDER;
        this.account = account;
        this.instrument = instrument;
        this.orderId = orderId;
        this.side = side;
        this.orderType = OrderType.MARKET;
        this.quantity = quantity;
        this.timeInForce = TimeInForce.IOC;
        return this;
    }

    public Command cancel(long account, int instrument, long orderId) {
        reset();
        this.type = CommandType.CANCEL_ORDER;
        this.account = account;
        this.instrument = instrument;
        this.orderId = orderId;
        return this;
    }

    public Command amend(long account, int instrument, long orderId, long newPrice, long newQuantity) {
        reset();
        this.type = CommandType.AMEND_ORDER;
        this.account = account;
        this.instrument = instrument;
        this.orderId = orderId;
        this.price = newPrice;
        this.quantity = newQuantity;
        return this;
    }

    /** Fills in a deposit of {@code amount} minor units of {@code asset}. */
    public Command deposit(long account, int asset, long amount) {
        reset();
        this.type = CommandType.DEPOSIT;
        this.account = account;
        this.asset = asset;
        this.amount = amount;
        return this;
    }

    /** Fills in the account's leverage in the instrument (SET_LEVERAGE). */
    public Command setLeverage(long account, int instrument, int leverage) {
        reset();
        this.type = CommandType.SET_LEVERAGE;
        this.account = account;
        this.instrument = instrument;
        this.leverage = leverage;
        return this;
    }

    /** Fills in the account's margin mode in the instrument, or account-wide with {@link #ALL_INSTRUMENTS}. */
    public Command setMarginMode(long account, int instrument, MarginMode mode) {
        reset();
        this.type = CommandType.SET_MARGIN_MODE;
        this.account = account;
        this.instrument = instrument;
        this.marginMode = mode;
        return this;
    }

    /** Fills in a withdrawal of {@code amount} minor units of {@code asset}. */
    public Command withdraw(long account, int asset, long amount) {
        deposit(account, asset, amount);
        this.type = CommandType.WITHDRAW;
        return this;
    }

    /** Fills in a transfer of {@code amount} minor units of {@code asset} from {@code account} to {@code to}. */
    public Command transfer(long account, long to, int asset, long amount) {
        deposit(account, asset, amount);
        this.type = CommandType.TRANSFER;
        this.counterparty = to;
        return this;
    }

    /** Fills in one price report from source {@code sourceId} of index {@code indexId}; no confidence given. */
    public Command oracleReport(int indexId, int sourceId, long price, long sourceTimestamp) {
        reset();
        this.type = CommandType.ORACLE_REPORT;
        this.indexId = indexId;
        this.sourceId = sourceId;
        this.price = price;
        this.sourceTimestamp = sourceTimestamp;
        return this;
    }

    @Override
    public String toString() {
        return "Command{" + type + " seq=" + sequence + " ts=" + timestamp + " acct=" + account + " instr=" + instrument
                + " oid=" + orderId + " cid=" + clientOrderId
                + (clientOrderText == null ? "" : " cidText=" + clientOrderText) + " " + side + " " + orderType
                + " " + timeInForce
                + " px=" + price + " qty=" + quantity + " trig=" + triggerPrice + "/" + triggerSource
                + " disp=" + displayQuantity + " exp=" + expireAt + " post=" + postOnly + " ro=" + reduceOnly
                + " stp=" + selfTradePrevention + " asset=" + asset + " amount=" + amount
                + (address == null ? "" : " address=" + hex(address) + " nonce=" + nonce
                + (agentKey == null ? "" : " agent=" + hex(agentKey)) + (signature == null ? " unsigned" : " signed"))
                + "}";
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder("0x");
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}
