package io.meridian.settlement;

import io.meridian.auth.Hex;
import io.meridian.auth.Secp256k1PrivateKey;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real local EVM chain for tests and demos: ganache, installed from the npm registry by the settlement module's build
 * ({@code settlement/contracts/package-lock.json}), run as a child process on loopback only. Its accounts are funded
 * keys derived from fixed seeds ({@link #key}), so every run has the same addresses; its chain id is
 * {@value #CHAIN_ID}. Blocks are mined on each transaction, and {@link Chain#mine} and {@link Chain#increaseTime} move
 * it on, so confirmation depths and timelocks are tested in seconds.
 *
 * <p>Not for production: any Ethereum JSON-RPC endpoint serves there ({@link Chain}).
 */
public final class LocalChain implements AutoCloseable {
    /** Ganache's usual local chain id. */
    public static final long CHAIN_ID = 1337;
    /** Funded accounts: 0 the operator (deployer), 1-3 governance owners, the rest users. */
    public static final int ACCOUNTS = 12;
    private static final String ETHER_1M = "0xd3c21bcecceda1000000";

    private final Process process;
    private final int port;

    private LocalChain(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The i-th funded key: secp256k1 from the fixed seed {@code i + 1} repeated (dev only: anyone can derive it). */
    public static Secp256k1PrivateKey key(int i) {
        return Secp256k1PrivateKey.of(keyBytes(i));
    }

    /** The i-th funded key's 32 bytes (for a signer that takes raw keys, such as web3j's credentials). */
    public static byte[] keyBytes(int i) {
        byte[] seed = new byte[32];
        java.util.Arrays.fill(seed, (byte) (i + 1));
        return seed;
    }

    /**
     * Starts ganache from {@code contractsDir} (the folder holding its {@code node_modules}) on a free loopback port and
     * waits until it answers (at most 60 s).
     */
    public static LocalChain start(Path contractsDir) throws IOException, InterruptedException {
        return start(contractsDir, null);
    }

    /**
     * As {@link #start(Path)}, keeping the chain in {@code database} (created if missing; null: in memory only), so a
     * later start on the same folder carries on the same chain: its blocks, contracts and balances.
     */
    public static LocalChain start(Path contractsDir, Path database) throws IOException, InterruptedException {
        Path cli = contractsDir.resolve("node_modules/ganache/dist/node/cli.js");
        if (!Files.isRegularFile(cli)) {
            throw new IOException("ganache is not installed in " + contractsDir + ": build the settlement module first");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of("node", cli.toString(), "--server.host", "127.0.0.1",
                "--server.port", Integer.toString(port), "--chain.chainId", Long.toString(CHAIN_ID),
                "--logging.quiet", "true", "--miner.instamine", "strict"));
        if (database != null) {
            Files.createDirectories(database);
            command.add("--database.dbPath");
            command.add(database.toAbsolutePath().toString());
        }
        for (int i = 0; i < ACCOUNTS; i++) {
            command.add("--wallet.accounts");
            command.add(Hex.encode0x(keyBytes(i)) + "," + ETHER_1M);
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        LocalChain chain = new LocalChain(process, port);
        chain.awaitReady(Duration.ofSeconds(60));
        return chain;
    }

    /**
     * The settlement module's contracts folder (where its build installed ganache), seen from the module, the repository
     * root or a sibling module.
     */
    public static Path defaultContractsDir() {
        for (Path candidate : List.of(Path.of("contracts"), Path.of("settlement", "contracts"),
                Path.of("..", "settlement", "contracts"))) {
            if (Files.isDirectory(candidate.resolve("node_modules"))) {
                return candidate;
            }
        }
        return Path.of("settlement", "contracts");
    }

    public String rpcUrl() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("ganache exited with " + process.exitValue());
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(rpcUrl()))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("result")) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        close();
        throw new IOException("ganache did not answer within " + timeout);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
