package io.meridian.settlement;

import io.meridian.settlement.Chain.Sender;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The deployed settlement contracts of one venue and typed calls to them: the collateral token (a {@code TestUSD} on
 * dev chains), the {@code MeridianVault} and its governor, the {@code MultisigTimelock}. Each method is one contract
 * function (its Solidity name in the method's name); transactions are sent by the {@link Sender} given, reverts are
 * {@link Chain.ChainException}s naming the contract's custom error ({@link Chain.ChainException#is}).
 */
public final class VaultContracts {
    private final Chain chain;
    private final String token;
    private final String vault;
    private final String governor;

    public VaultContracts(Chain chain, String token, String vault, String governor) {
        this.chain = chain;
        this.token = token;
        this.vault = vault;
        this.governor = governor;
    }

    public String token() {
        return token;
    }

    public String vault() {
        return vault;
    }

    public String governor() {
        return governor;
    }

    /**
     * Deploys a dev venue: a TestUSD, a multisig of {@code owners} ({@code threshold} of them, {@code delaySeconds}
     * timelock) as governor, and a vault with {@code operator} as its operator listing the TestUSD.
     */
    public static VaultContracts deployDev(Chain chain, Sender deployer, String operator, List<String> owners,
                                           int threshold, long delaySeconds, long forcedWithdrawalDelaySeconds) {
        String token = deployer.deploy(ContractArtifacts.bytecode(ContractArtifacts.TEST_USD), List.of());
        List<Address> ownerAddresses = owners.stream().map(Address::new).toList();
        String governor = deployer.deploy(ContractArtifacts.bytecode(ContractArtifacts.MULTISIG), List.of(
                new DynamicArray<>(Address.class, ownerAddresses), new Uint256(threshold), new Uint256(delaySeconds)));
        String vault = deployer.deploy(ContractArtifacts.bytecode(ContractArtifacts.VAULT), List.of(new Address(governor),
                new Address(operator), new Uint64(forcedWithdrawalDelaySeconds),
                new DynamicArray<>(Address.class, List.of(new Address(token)))));
        return new VaultContracts(chain, token, vault, governor);
    }

    // ------------------------------------------------------------------------------------------------ token

    public TransactionReceipt mint(Sender from, String to, long amount) {
        return from.transact(token, fn("mint", new Address(to), uint(amount)));
    }

    public TransactionReceipt approve(Sender from, String spender, long amount) {
        return from.transact(token, fn("approve", new Address(spender), uint(amount)));
    }

    public BigInteger tokenBalance(String holder) {
        return (BigInteger) chain.call(token, view("balanceOf", List.of(new Address(holder)), Uint256.class)).get(0)
                .getValue();
    }

    // ------------------------------------------------------------------------------------------------ vault

    public TransactionReceipt deposit(Sender from, String asset, long amount, String account) {
        return from.transact(vault, fn("deposit", new Address(asset), uint(amount), new Address(account)));
    }

    /** A root as the contract's {@code Root} struct: hash and total. */
    public static final class Root extends StaticStruct {
        public Root(byte[] hash, BigInteger total) {
            this(new Bytes32(hash), new Uint256(total));
        }

        /**
         * Over the ABI types: web3j names the struct's type from such a constructor when it has no instance to look at,
         * as for the empty array of roots of a batch cut before any address holds a balance.
         */
        public Root(Bytes32 hash, Uint256 total) {
            super(hash, total);
        }
    }

    public TransactionReceipt commitBatch(Sender operator, long batchId, long lastSequence, byte[] stateHash,
                                          List<String> assets, List<Root> roots, Root withdrawals) {
        return operator.transact(vault, fn("commitBatch", new Uint64(batchId), new Uint64(lastSequence),
                new Bytes32(stateHash), new DynamicArray<>(Address.class, assets.stream().map(Address::new).toList()),
                new DynamicArray<>(Root.class, roots), withdrawals));
    }

    public TransactionReceipt withdraw(Sender from, long batchId, long withdrawalId, String account, String destination,
                                       String asset, long amount, long forcedRef, MerkleSumTree.Proof proof) {
        return from.transact(vault, fn("withdraw", new Uint64(batchId), new Uint64(withdrawalId), new Address(account),
                new Address(destination), new Address(asset), uint(amount), uint(forcedRef), uint(proof.index()),
                hashes(proof), totals(proof)));
    }

    public TransactionReceipt requestForcedWithdrawal(Sender from, String asset) {
        return from.transact(vault, fn("requestForcedWithdrawal", new Address(asset)));
    }

    public TransactionReceipt freeze(Sender from, long requestId) {
        return from.transact(vault, fn("freeze", uint(requestId)));
    }

    public TransactionReceipt escape(Sender from, String asset, long balance, MerkleSumTree.Proof proof) {
        return from.transact(vault, fn("escape", new Address(asset), uint(balance), uint(proof.index()), hashes(proof),
                totals(proof)));
    }

    /** The vault's {@code verifyBalance}: whether the proof shows {@code balance} for the account in the batch. */
    public boolean verifyBalance(long batchId, String account, String asset, long balance, MerkleSumTree.Proof proof) {
        return (Boolean) chain.call(vault, view("verifyBalance", List.of(new Uint64(batchId), new Address(account),
                new Address(asset), uint(balance), uint(proof.index()), hashes(proof), totals(proof)), Bool.class))
                .get(0).getValue();
    }

    /** The balance root of the asset in the batch: its hash (32 bytes) and total. */
    public MerkleRoot balanceRoot(long batchId, String asset) {
        @SuppressWarnings("rawtypes")
        List<Type> out = chain.call(vault, new Function("balanceRoot", List.of(new Uint64(batchId), new Address(asset)),
                List.of(new TypeReference<Bytes32>() { }, new TypeReference<Uint256>() { })));
        return new MerkleRoot((byte[]) out.get(0).getValue(), (BigInteger) out.get(1).getValue());
    }

    /** A committed root as read back from the chain. */
    public record MerkleRoot(byte[] hash, BigInteger total) {
    }

    public long batchCount() {
        return number(vault, "batchCount", Uint64.class);
    }

    public long depositCount() {
        return number(vault, "depositCount", Uint64.class);
    }

    public boolean frozen() {
        return (Boolean) chain.call(vault, view("frozen", List.of(), Bool.class)).get(0).getValue();
    }

    public String operator() {
        return (String) chain.call(vault, view("operator", List.of(), Address.class)).get(0).getValue();
    }

    public long forcedWithdrawalDelay() {
        return number(vault, "forcedWithdrawalDelay", Uint64.class);
    }

    // ------------------------------------------------------------------------------------------------ governance

    /** Proposes a call of {@code function} on the vault through the multisig; returns the proposal id. */
    public long proposeVaultCall(Sender owner, Function function) {
        long id = number(governor, "proposalCount", Uint256.class);
        owner.transact(governor, fn("propose", new Address(vault),
                new DynamicBytes(org.web3j.utils.Numeric.hexStringToByteArray(
                        org.web3j.abi.FunctionEncoder.encode(function)))));
        return id;
    }

    public TransactionReceipt approveProposal(Sender owner, long id) {
        return owner.transact(governor, fn("approve", uint(id)));
    }

    public TransactionReceipt cancelProposal(Sender owner, long id) {
        return owner.transact(governor, fn("cancel", uint(id)));
    }

    public TransactionReceipt executeProposal(Sender anyone, long id) {
        return anyone.transact(governor, fn("execute", uint(id)));
    }

    /** The vault's {@code setOperator}, for a proposal (or a direct call, which only the governor may make). */
    public static Function setOperator(String operator) {
        return fn("setOperator", new Address(operator));
    }

    public static Function setForcedWithdrawalDelay(long seconds) {
        return fn("setForcedWithdrawalDelay", new Uint64(seconds));
    }

    /**
     * The vault's {@code publishRiskBounds}, for a proposal: once the multisig executes it, the node journals the bounds
     * as CHAIN_RISK_BOUNDS and the engine puts them in force (docs/risk.md, "Governance on chain").
     */
    public static Function publishRiskBounds(int instrument, io.meridian.model.RiskBounds bounds) {
        return fn("publishRiskBounds", new org.web3j.abi.datatypes.generated.Uint32(instrument),
                new Uint64(bounds.floorPpm()), new Uint64(bounds.ceilingPpm()), new Uint64(bounds.maxChangePerHourPpm()),
                new Uint64(bounds.hysteresisPpm()), new Uint64(bounds.noticeMillis()));
    }

    public long riskBoundsCount() {
        return number(vault, "riskBoundsCount", Uint64.class);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    @SuppressWarnings("rawtypes")
    private static Function fn(String name, Type... inputs) {
        return new Function(name, List.of(inputs), List.of());
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Function view(String name, List<Type> inputs, Class<? extends Type> output) {
        return new Function(name, inputs, List.of(TypeReference.create((Class) output)));
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private long number(String contract, String name, Class<? extends Type> type) {
        return ((BigInteger) chain.call(contract, view(name, List.of(), type)).get(0).getValue()).longValueExact();
    }

    private static Uint256 uint(long value) {
        return new Uint256(BigInteger.valueOf(value));
    }

    private static DynamicArray<Bytes32> hashes(MerkleSumTree.Proof proof) {
        List<Bytes32> out = new ArrayList<>();
        for (byte[] hash : proof.siblingHashes()) {
            out.add(new Bytes32(hash));
        }
        return new DynamicArray<>(Bytes32.class, out);
    }

    private static DynamicArray<Uint256> totals(MerkleSumTree.Proof proof) {
        return new DynamicArray<>(Uint256.class, proof.siblingTotals().stream().map(Uint256::new).toList());
    }
}
