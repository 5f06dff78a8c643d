package io.meridian.node.settlement;

import io.meridian.node.ChainSettings;
import io.meridian.node.NodeConfig;
import io.meridian.settlement.Chain;
import io.meridian.settlement.LocalChain;
import io.meridian.settlement.VaultContracts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What the node's settlement tests share: one real ganache per test class (started by the test, on loopback), its
 * client, a wait with a deadline, and a node config settling on a dev venue with the operator's key (dev key 0).
 */
abstract class LocalChainTest {
    static LocalChain local;
    static Chain chain;

    @BeforeAll
    static void startChain() throws Exception {
        local = LocalChain.start(LocalChain.defaultContractsDir());
        chain = new Chain(local.rpcUrl(), LocalChain.CHAIN_ID);
    }

    @AfterAll
    static void stopChain() {
        chain.close();
        local.close();
    }

    /** Waits (at most 60 s, polling every 50 ms) until {@code condition} holds; fails naming {@code what}. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Writes the operator's key (dev key 0) into {@code dir}; returns its file. */
    static Path operatorKey(Path dir) throws IOException {
        Path key = dir.resolve("operator.key");
        Files.writeString(key, Numeric.toHexString(LocalChain.keyBytes(0)));
        return key;
    }

    /** The defaults with a data directory in {@code dir}, any free port, and a chain section settling {@code venue}. */
    static NodeConfig settlingConfig(Path dir, VaultContracts venue, int confirmations, long fromBlock,
                                     ChainSettings.Batch batch) throws IOException, NodeConfig.ConfigException {
        Files.createDirectories(dir);
        NodeConfig config = NodeConfig.defaults().withDataDirAndPort(dir.resolve("data").toString(), 0)
                .withChain(new ChainSettings(local.rpcUrl(), LocalChain.CHAIN_ID, venue.vault(),
                        Map.of(venue.token(), 0), confirmations, operatorKey(dir).toString(), fromBlock, batch, 100L));
        config.validate();
        return config;
    }
}
