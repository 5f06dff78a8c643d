package io.meridian.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.auth.Address;
import io.meridian.settlement.Chain;
import io.meridian.settlement.MerkleSumTree;
import io.meridian.settlement.VaultContracts;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian verify-proof --address A --url NODE_URL --rpc RPC_URL [--vault V]}: fetches the address's inclusion
 * proof from the node ({@code GET /v1/proof/{address}}) and checks, trusting only the chain: per asset, that the proof
 * recomputes the root the node names ({@link MerkleSumTree#verify}), that this root is the one the vault committed for
 * that batch, and that the vault itself accepts it ({@code verifyBalance}); and solvency: the vault's balance of each
 * token covers the committed liability (the root's total). {@code --vault} names the vault to trust (default: the one
 * the node names). Last line {@code proof=ok|failed solvency=ok|failed}; exit 0 when both are ok, 1 otherwise, 2 usage.
 */
@Command(name = "verify-proof", description = "Check an address's proof from the node against the vault's committed"
        + " root, and solvency; the last line is proof=ok|failed solvency=ok|failed (exit 1 on failure).")
final class VerifyProofCli extends Cli.Command {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--address", required = true, paramLabel = "0x...", description = "the account's address")
    String address;
    @Option(names = "--url", required = true, paramLabel = "NODE_URL", description = "the node that serves the proof")
    String url;
    @Option(names = "--rpc", required = true, paramLabel = "RPC_URL", description = "the chain's JSON-RPC endpoint")
    String rpc;
    @Option(names = "--vault", paramLabel = "0x...", description = "the vault to trust (default: the one the node names)")
    String vault;

    static int run(String[] args, PrintStream out, PrintStream err) {
        return Main.run(Cli.with(args, "verify-proof"), out, err);
    }

    @Override
    public Integer call() {
        if (!Address.parse(address).isOk() || vault != null && !Address.parse(vault).isOk()) {
            throw usage("addresses are 0x and 40 hex digits");
        }
        Address account = Address.parseOrThrow(address);
        JsonNode proof;
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/v1/proof/"
                            + account.toLowerHex())).timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                out.println("the node has no proof for " + account.toLowerHex() + ": " + response.body());
                out.println("proof=failed solvency=failed");
                return 1;
            }
            if (response.statusCode() != 200) {
                err.println("verify-proof: the node answered " + response.statusCode() + ": " + response.body());
                return 1;
            }
            proof = JSON.readTree(response.body());
        } catch (IOException | IllegalArgumentException e) {
            err.println("verify-proof: cannot fetch the proof from " + url + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        String trusted = vault != null ? vault : proof.path("vault").asText();
        long batchId = proof.path("batchId").asLong();
        try (Chain chain = new Chain(rpc, proof.path("chainId").asLong())) {
            boolean proofOk = true;
            boolean solvent = true;
            for (JsonNode asset : proof.path("assets")) {
                String token = asset.path("token").asText();
                long balance = Long.parseLong(asset.path("balance").asText());
                MerkleSumTree.Proof path = proofOf(asset);
                byte[] rootHash = Numeric.hexStringToByteArray(asset.path("rootHash").asText());
                BigInteger rootTotal = new BigInteger(asset.path("rootTotal").asText());
                VaultContracts contracts = new VaultContracts(chain, token, trusted, null);
                VaultContracts.MerkleRoot committed = contracts.balanceRoot(batchId, token);
                boolean local = MerkleSumTree.verify(MerkleSumTree.balanceLeaf(account, Address.parseOrThrow(token),
                        balance), balance, path, rootHash, rootTotal);
                boolean sameRoot = Arrays.equals(committed.hash(), rootHash) && committed.total().equals(rootTotal);
                boolean onChain = contracts.verifyBalance(batchId, account.toLowerHex(), token, balance, path);
                BigInteger held = contracts.tokenBalance(trusted);
                boolean covered = held.compareTo(committed.total()) >= 0;
                out.println("batch=" + batchId + " token=" + token + " balance=" + balance + " local="
                        + ok(local) + " root_on_chain=" + ok(sameRoot) + " verify_balance=" + ok(onChain)
                        + " liability=" + committed.total() + " vault_balance=" + held + " covered=" + ok(covered));
                proofOk &= local && sameRoot && onChain;
                solvent &= covered;
            }
            if (proof.path("assets").isEmpty()) {
                proofOk = false;
                solvent = false;
            }
            out.println("proof=" + (proofOk ? "ok" : "failed") + " solvency=" + (solvent ? "ok" : "failed"));
            return proofOk && solvent ? 0 : 1;
        } catch (Chain.ChainException | IllegalArgumentException e) {
            err.println("verify-proof: " + e.getMessage());
            out.println("proof=failed solvency=failed");
            return 1;
        }
    }

    private static String ok(boolean b) {
        return b ? "ok" : "failed";
    }

    static MerkleSumTree.Proof proofOf(JsonNode asset) {
        List<byte[]> hashes = new ArrayList<>();
        asset.path("siblingHashes").forEach(h -> hashes.add(Numeric.hexStringToByteArray(h.asText())));
        List<BigInteger> totals = new ArrayList<>();
        asset.path("siblingTotals").forEach(t -> totals.add(new BigInteger(t.asText())));
        return new MerkleSumTree.Proof(asset.path("leafIndex").asLong(), hashes, totals);
    }
}
