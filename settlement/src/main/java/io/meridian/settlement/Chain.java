package io.meridian.settlement;

import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.tx.response.TransactionReceiptProcessor;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An Ethereum JSON-RPC endpoint as settlement uses it (web3j): signed transactions from one key at a time, contract
 * calls, receipts, and on a dev chain the test controls (mining, time, snapshots). Transactions are legacy, priced at
 * the node's gas price, with an explicit gas limit; a reverted transaction is a {@link ChainException} carrying the
 * revert's selector, so callers and tests name the contract's custom error. Thread-safe as web3j is; one nonce stream
 * per {@link #sender} (use one sender per key).
 */
public final class Chain implements AutoCloseable {
    /** Gas limit of every transaction: ample for the vault's heaviest call (a deep proof) and for deployments. */
    public static final BigInteger GAS_LIMIT = BigInteger.valueOf(6_000_000);

    private final HttpService service;
    private final Web3j web3;
    private final long chainId;

    public Chain(String rpcUrl, long chainId) {
        this.service = new HttpService(rpcUrl);
        this.web3 = Web3j.build(service);
        this.chainId = chainId;
    }

    public Web3j web3() {
        return web3;
    }

    public long chainId() {
        return chainId;
    }

    /** A failed or reverted chain interaction; {@link #revertData} is the revert's ABI data ("0x..."), or null. */
    public static final class ChainException extends RuntimeException {
        private final String revertData;

        public ChainException(String message, String revertData) {
            super(message);
            // Nodes give the data as a JSON string (quoted) or as hex; kept as bare "0x..." hex.
            this.revertData = revertData == null ? null : revertData.replace("\"", "").trim();
        }

        public String revertData() {
            return revertData;
        }

        /** Whether the revert is the custom error {@code name()} (no arguments), e.g. {@code "AlreadyPaid()"}. */
        public boolean is(String errorSignature) {
            return revertData != null && revertData.startsWith(selector(errorSignature));
        }
    }

    /** The 4-byte selector of a function or error signature, as "0x" and 8 hex digits. */
    public static String selector(String signature) {
        return Numeric.toHexString(io.meridian.auth.Keccak.hash(signature)).substring(0, 10);
    }

    /** A key that sends transactions, with its own nonce stream. */
    public Sender sender(byte[] privateKey) {
        Credentials credentials = Credentials.create(Numeric.toHexString(privateKey));
        return new Sender(credentials);
    }

    /** Sends transactions signed by one key and waits for their receipts. */
    public final class Sender {
        private final Credentials credentials;
        private final RawTransactionManager manager;
        private final TransactionReceiptProcessor receipts;

        private Sender(Credentials credentials) {
            this.credentials = credentials;
            this.receipts = new PollingTransactionReceiptProcessor(web3, 100, 600);
            this.manager = new RawTransactionManager(web3, credentials, chainId, receipts);
        }

        public String address() {
            return credentials.getAddress();
        }

        /** Deploys {@code bin} with the constructor arguments; returns the contract's address. */
        public String deploy(String bin, List<Type> constructorArguments) {
            TransactionReceipt receipt = send(null, bin + FunctionEncoder.encodeConstructor(constructorArguments));
            return receipt.getContractAddress();
        }

        /** Calls {@code function} on {@code contract} in a transaction; returns its receipt, or throws on a revert. */
        public TransactionReceipt transact(String contract, Function function) {
            return send(contract, FunctionEncoder.encode(function));
        }

        private synchronized TransactionReceipt send(String to, String data) {
            try {
                BigInteger gasPrice = web3.ethGasPrice().send().getGasPrice();
                EthSendTransaction sent = manager.sendTransaction(gasPrice, GAS_LIMIT, to, data, BigInteger.ZERO);
                if (sent.hasError()) {
                    throw new ChainException("transaction refused: " + sent.getError().getMessage(),
                            sent.getError().getData());
                }
                TransactionReceipt receipt = receipts.waitForTransactionReceipt(sent.getTransactionHash());
                if (!receipt.isStatusOK()) {
                    String revert = revertData(to, data);
                    throw new ChainException("transaction reverted: " + revert, revert);
                }
                return receipt;
            } catch (IOException | org.web3j.protocol.exceptions.TransactionException e) {
                throw new ChainException("chain unreachable or slow: " + e.getMessage(), null);
            }
        }

        /** Re-runs a reverted transaction as a call, to read the revert data the receipt does not carry. */
        private String revertData(String to, String data) throws IOException {
            if (to == null) {
                return null;
            }
            EthCall call = web3.ethCall(Transaction.createEthCallTransaction(address(), to, data),
                    DefaultBlockParameterName.LATEST).send();
            return call.hasError() ? String.valueOf(call.getError().getData()) : call.getRevertReason();
        }
    }

    /** Calls a view function; returns its decoded outputs. Throws {@link ChainException} on a revert. */
    @SuppressWarnings("rawtypes")
    public List<Type> call(String contract, Function function) {
        try {
            EthCall call = web3.ethCall(Transaction.createEthCallTransaction(null, contract,
                    FunctionEncoder.encode(function)), DefaultBlockParameterName.LATEST).send();
            if (call.hasError()) {
                throw new ChainException("call reverted: " + call.getError().getMessage(),
                        String.valueOf(call.getError().getData()));
            }
            return FunctionReturnDecoder.decode(call.getValue(), function.getOutputParameters());
        } catch (IOException e) {
            throw new ChainException("chain unreachable: " + e.getMessage(), null);
        }
    }

    public long blockNumber() {
        try {
            return web3.ethBlockNumber().send().getBlockNumber().longValueExact();
        } catch (IOException e) {
            throw new ChainException("chain unreachable: " + e.getMessage(), null);
        }
    }

    // ---- Dev chains only (ganache, Hardhat, anvil): mining, time and snapshots.

    /** Mines {@code blocks} empty blocks. */
    public void mine(int blocks) {
        for (int i = 0; i < blocks; i++) {
            dev("evm_mine", List.of());
        }
    }

    /** Moves the chain's clock {@code seconds} ahead (the next block carries it). */
    public void increaseTime(long seconds) {
        dev("evm_increaseTime", List.of(seconds));
        mine(1);
    }

    /**
     * Stops (false) or restarts (true) the dev chain's miner: while it is stopped, sent transactions wait in its pool
     * (a sender's receipt wait blocks) until {@link #mine} or a restart takes them, which is how a test catches a
     * process between sending a transaction and seeing it mined.
     */
    public void automine(boolean on) {
        dev(on ? "miner_start" : "miner_stop", List.of());
    }

    /**
     * The input data of {@code address}'s transactions waiting in the dev chain's pool, in nonce order (ganache's
     * {@code txpool_content}).
     */
    public List<String> pendingInputs(String address) {
        TreeMap<BigInteger, String> byNonce = new TreeMap<>();
        if (dev("txpool_content", List.of()) instanceof Map<?, ?> pools && pools.get("pending") instanceof Map<?, ?> pending) {
            for (Map.Entry<?, ?> sender : pending.entrySet()) {
                if (String.valueOf(sender.getKey()).equalsIgnoreCase(address) && sender.getValue() instanceof Map<?, ?> txs) {
                    for (Map.Entry<?, ?> tx : txs.entrySet()) {
                        byNonce.put(Numeric.decodeQuantity(String.valueOf(tx.getKey())),
                                String.valueOf(((Map<?, ?>) tx.getValue()).get("input")));
                    }
                }
            }
        }
        return new ArrayList<>(byNonce.values());
    }

    /** Takes a snapshot of the chain; {@link #revert} returns to it (a reorg, for tests). */
    public String snapshot() {
        return String.valueOf(dev("evm_snapshot", List.of()));
    }

    public void revert(String snapshot) {
        dev("evm_revert", List.of(snapshot));
    }

    private Object dev(String method, List<?> params) {
        try {
            Response<?> response = new Request<>(method, params, service, DevResponse.class).send();
            if (response.hasError()) {
                throw new ChainException(method + ": " + response.getError().getMessage(), null);
            }
            return response.getResult();
        } catch (IOException e) {
            throw new ChainException("chain unreachable: " + e.getMessage(), null);
        }
    }

    /** The untyped response of a dev method. */
    public static final class DevResponse extends Response<Object> {
    }

    @Override
    public void close() {
        web3.shutdown();
    }
}
