package io.meridian.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code chain} section: optional, read with its defaults, and refused with the field named. */
class ChainConfigTest {
    private static final String TOKEN = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private static final String VAULT = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";

    private static String chain(String fields) {
        return "{\"devMode\":true,\"chain\":{\"rpcUrl\":\"http://127.0.0.1:8545\",\"chainId\":1337,\"vault\":\"" + VAULT
                + "\",\"assets\":{\"" + TOKEN + "\":0},\"operatorKeyFile\":\"operator.key\"" + fields + "}}";
    }

    @Test
    void readDefaultedAndChecked() throws NodeConfig.ConfigException {
        assertNull(NodeConfig.parse("{\"devMode\":true}").chain(), "no section, no settlement loop");
        ChainSettings c = NodeConfig.parse(chain("")).chain();
        assertEquals(ChainSettings.DEFAULT_CONFIRMATIONS, c.confirmationsOrDefault());
        assertEquals(ChainSettings.Batch.DEFAULT_INTERVAL_MILLIS, c.batchIntervalMillis());
        assertEquals(ChainSettings.Batch.DEFAULT_MAX_WITHDRAWALS, c.batchMaxWithdrawals());
        assertEquals(0, c.fromBlockOrDefault());
        assertEquals(0, c.assetOfToken().values().iterator().next());
        ChainSettings set = NodeConfig.parse(chain(",\"confirmations\":2,\"fromBlock\":7,\"pollMillis\":250,"
                + "\"batch\":{\"intervalMillis\":1000,\"maxWithdrawals\":5}")).withDataDirAndPort("x", 0).chain();
        assertEquals(2, set.confirmationsOrDefault());
        assertEquals(7, set.fromBlockOrDefault());
        assertEquals(1000, set.batchIntervalMillis());
        assertEquals(5, set.batchMaxWithdrawals());
        NodeHttpTest.assertConfigsRefused(new String[][] {
            {chain("").replace("http://127.0.0.1:8545", "ws://x"), "chain.rpcUrl"},
            {chain("").replace("1337", "0"), "chain.chainId"},
            {chain("").replace(VAULT, "0x12"), "chain.vault"},
            {chain("").replace("\":0}", "\":9}"), "chain.assets." + TOKEN + ": asset 9 is not one of"},
            {chain("").replace("{\"" + TOKEN + "\":0}", "{}"), "chain.assets: 1..16 entries"},
            {chain(",\"confirmations\":0"), "chain.confirmations: must be 1..1000"},
            {chain("").replace("\"operatorKeyFile\":\"operator.key\"", "\"operatorKeyFile\":\" \""),
                "chain.operatorKeyFile"},
            {chain(",\"pollMillis\":5"), "chain.pollMillis: must be 100..60000"},
            {chain(",\"batch\":{\"maxWithdrawals\":0}"), "chain.batch.maxWithdrawals: must be 1..100000"},
            {chain(",\"batch\":{\"intervalMillis\":1}"), "chain.batch.intervalMillis"},
            {chain(",\"surprise\":1"), "unknown field 'surprise'"},
        });
    }

    /**
     * A gateway in front of a cluster may not run the settlement loop: several gateways may front one cluster and each
     * would commit batches to the vault. Refused before the engine, the gateway or the chain client start (a cluster
     * that is not there is never contacted).
     */
    @Test
    void refusedOnAClusterGateway(@TempDir Path dir) throws NodeConfig.ConfigException {
        NodeConfig config = NodeConfig.parse(chain("")).withDataDirAndPort(dir.toString(), 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Node.start(config,
                new ClusterTarget(List.of("localhost"), 20_000, 7), t -> { }));
        assertTrue(e.getMessage().contains("not on a cluster's gateway"), e.getMessage());
        assertTrue(dir.toFile().list().length == 0, "nothing was started in the data directory");
    }
}
