package io.meridian.node;

import io.meridian.auth.Address;
import io.meridian.node.NodeConfig.ConfigException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node config's {@code chain} section: the settlement loop on an EVM chain (docs/settlement.md, "The node's
 * settlement loop"). Every field but {@code rpcUrl}, {@code chainId}, {@code vault}, {@code assets} and
 * {@code operatorKeyFile} is optional.
 *
 * @param rpcUrl          the chain's JSON-RPC endpoint ({@code http://} or {@code https://})
 * @param chainId         the chain's id (1337 for the local dev chain); a node whose endpoint answers another refuses
 *                        to start
 * @param vault           the {@code MeridianVault}'s address
 * @param assets          token address to the engine's asset id; each asset must be in the config's {@code assets};
 *                        1..16 of them (the vault lists at most 16)
 * @param confirmations   K: a deposit is credited once its block has K blocks including itself (default
 *                        {@value #DEFAULT_CONFIRMATIONS}; 1..1000)
 * @param operatorKeyFile a file holding the operator's private key as 64 hex digits ({@code 0x} optional): it commits
 *                        batches and pays withdrawals. Relative paths are against the working directory
 * @param fromBlock       the first block to read deposits from (the vault's deployment block; default 0)
 * @param batch           when to cut a batch ({@link Batch}; null for the defaults)
 * @param pollMillis      how often the chain is read for deposits (default {@value #DEFAULT_POLL_MILLIS}; 100..60000)
 */
public record ChainSettings(String rpcUrl, Long chainId, String vault, Map<String, Integer> assets,
                            Integer confirmations, String operatorKeyFile, Long fromBlock, Batch batch,
                            Long pollMillis) {
    public static final int DEFAULT_CONFIRMATIONS = 12;
    public static final long DEFAULT_POLL_MILLIS = 1_000;
    /** The most tokens a vault lists. */
    public static final int MAX_ASSETS = 16;

    /**
     * When a batch is cut: every {@code intervalMillis} (default {@value #DEFAULT_INTERVAL_MILLIS}; 100 .. a day) when
     * anything was applied since the last one, or as soon as {@code maxWithdrawals} withdrawals are waiting (default
     * {@value #DEFAULT_MAX_WITHDRAWALS}; 1 .. {@value #MAX_WITHDRAWALS}), whichever comes first.
     */
    public record Batch(Long intervalMillis, Integer maxWithdrawals) {
        public static final long DEFAULT_INTERVAL_MILLIS = 60_000;
        public static final int DEFAULT_MAX_WITHDRAWALS = 1_000;
        /** A batch's withdrawals at most: bounds a batch file and the processor's work per batch. */
        public static final int MAX_WITHDRAWALS = 100_000;
    }

    public ChainSettings {
        assets = assets == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(assets));
    }

    public int confirmationsOrDefault() {
        return confirmations == null ? DEFAULT_CONFIRMATIONS : confirmations;
    }

    public long fromBlockOrDefault() {
        return fromBlock == null ? 0 : fromBlock;
    }

    public long pollMillisOrDefault() {
        return pollMillis == null ? DEFAULT_POLL_MILLIS : pollMillis;
    }

    public long batchIntervalMillis() {
        return batch == null || batch.intervalMillis() == null ? Batch.DEFAULT_INTERVAL_MILLIS : batch.intervalMillis();
    }

    public int batchMaxWithdrawals() {
        return batch == null || batch.maxWithdrawals() == null ? Batch.DEFAULT_MAX_WITHDRAWALS : batch.maxWithdrawals();
    }

    /** The token of each engine asset (valid once {@link #validate} passed). */
    public Map<Integer, Address> tokenOfAsset() {
        Map<Integer, Address> out = new LinkedHashMap<>();
        assets.forEach((token, asset) -> out.put(asset, Address.parseOrThrow(token)));
        return out;
    }

    /** The engine asset of each token (valid once {@link #validate} passed). */
    public Map<Address, Integer> assetOfToken() {
        Map<Address, Integer> out = new LinkedHashMap<>();
        assets.forEach((token, asset) -> out.put(Address.parseOrThrow(token), asset));
        return out;
    }

    /**
     * Checks every value against the node's configured asset ids; throws with every problem, each naming its field (a
     * token map that is missing or too long is not looked into further).
     */
    void validate(Set<Integer> configuredAssets) throws ConfigException {
        List<NodeConfig.Problem> problems = new ArrayList<>();
        java.util.function.Consumer<String> problem = text -> problems.add(NodeConfig.Problem.of(text));
        if (rpcUrl == null || !(rpcUrl.startsWith("http://") || rpcUrl.startsWith("https://")) || rpcUrl.length() > 2048) {
            problem.accept("chain.rpcUrl: an http:// or https:// JSON-RPC endpoint is required, was " + rpcUrl);
        }
        if (chainId == null || chainId < 1) {
            problem.accept("chain.chainId: a positive chain id is required, was " + chainId);
        }
        if (!Address.parse(vault).isOk()) {
            problem.accept("chain.vault: the vault's address (0x and 40 hex digits) is required, was " + vault);
        }
        if (assets == null || assets.isEmpty() || assets.size() > MAX_ASSETS) {
            problem.accept("chain.assets: 1.." + MAX_ASSETS + " entries of token address to asset id are"
                    + " required, was " + (assets == null ? "missing" : assets.size() + " entries"));
        } else {
            assetProblems(configuredAssets, problem);
        }
        if (confirmationsOrDefault() < 1 || confirmationsOrDefault() > 1_000) {
            problem.accept("chain.confirmations: must be 1..1000, was " + confirmations);
        }
        if (operatorKeyFile == null || operatorKeyFile.isBlank()) {
            problem.accept("chain.operatorKeyFile: the file holding the operator's key is required");
        }
        if (fromBlockOrDefault() < 0) {
            problem.accept("chain.fromBlock: must not be negative, was " + fromBlock);
        }
        if (pollMillisOrDefault() < 100 || pollMillisOrDefault() > 60_000) {
            problem.accept("chain.pollMillis: must be 100..60000, was " + pollMillis);
        }
        if (batchIntervalMillis() < 100 || batchIntervalMillis() > 86_400_000) {
            problem.accept("chain.batch.intervalMillis: must be 100..86400000 (a day), was "
                    + batchIntervalMillis());
        }
        if (batchMaxWithdrawals() < 1 || batchMaxWithdrawals() > Batch.MAX_WITHDRAWALS) {
            problem.accept("chain.batch.maxWithdrawals: must be 1.." + Batch.MAX_WITHDRAWALS + ", was "
                    + batchMaxWithdrawals());
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** The token map's entries: each a distinct token address mapped to a distinct configured asset. */
    private void assetProblems(Set<Integer> configuredAssets, java.util.function.Consumer<String> problem) {
        Set<Integer> seen = new java.util.HashSet<>();
        Set<Address> tokens = new java.util.HashSet<>();
        for (Map.Entry<String, Integer> e : assets.entrySet()) {
            if (!Address.parse(e.getKey()).isOk() || !tokens.add(Address.parseOrThrow(e.getKey()))) {
                problem.accept("chain.assets: '" + e.getKey() + "' is not a token address (0x and 40 hex"
                        + " digits) or is listed twice");
            }
            if (e.getValue() == null || !configuredAssets.contains(e.getValue())) {
                problem.accept("chain.assets." + e.getKey() + ": asset " + e.getValue() + " is not one of"
                        + " the config's assets " + configuredAssets);
            }
            if (!seen.add(e.getValue())) {
                problem.accept("chain.assets: asset " + e.getValue() + " is mapped from two tokens");
            }
        }
    }
}
