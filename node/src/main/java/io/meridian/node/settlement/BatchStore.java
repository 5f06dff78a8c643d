package io.meridian.node.settlement;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.auth.Address;
import io.meridian.engine.SettlementStatement;
import io.meridian.settlement.BatchBuilder;
import io.meridian.settlement.SettlementBatch;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The node's settlement batches on disk, under {@code DATA_DIR/settlement}: one {@code batch-<id>.json} per batch cut
 * (its statement per asset, its withdrawals, sequence, state hash and time), written and synced <em>before</em> the
 * batch is committed on chain, so a crash between the two re-commits the same batch at the restart; and a
 * {@code paid-<id>} marker once every withdrawal of the batch is paid, so a restart does not ask the chain about them
 * again. Proofs survive a restart because the trees are rebuilt from the file.
 *
 * <p><b>Retention.</b> The newest {@value #KEEP} batch files are kept whatever their state; an older one is deleted
 * (with its marker) once its withdrawals are all paid. Disk use is so about {@value #KEEP} statements (about 60 bytes
 * an address and asset) plus the withdrawals still unpaid.
 *
 * <p>Not thread-safe: the settlement loop's threads call it one at a time (writes from the batcher, markers from the
 * processor, both synchronised on the store).
 */
final class BatchStore {
    static final int KEEP = 3;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = new JsonFactory();

    private final Path directory;

    BatchStore(Path dataDir) {
        this.directory = dataDir.resolve("settlement");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }

    Path directory() {
        return directory;
    }

    private Path file(long batchId) {
        return directory.resolve(String.format("batch-%020d.json", batchId));
    }

    private Path paidMarker(long batchId) {
        return directory.resolve(String.format("paid-%020d", batchId));
    }

    /** The ids of the batch files present, ascending. */
    synchronized List<Long> ids() {
        List<Long> ids = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.matches("batch-\\d{20}\\.json"))
                    .forEach(n -> ids.add(Long.parseLong(n.substring(6, 26))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        ids.sort(null);
        return ids;
    }

    synchronized boolean paid(long batchId) {
        return Files.exists(paidMarker(batchId));
    }

    /** Writes the batch's file durably (temporary file, fsync, atomic rename, directory fsync). */
    synchronized void write(CommittedBatch batch) {
        Path tmp = directory.resolve("batch.tmp");
        try (OutputStream out = Files.newOutputStream(tmp); JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("batchId", batch.batchId());
            g.writeNumberField("lastSequence", batch.lastSequence());
            g.writeStringField("stateHash", Long.toHexString(batch.stateHash()));
            g.writeNumberField("cutAtMillis", batch.cutAtMillis());
            g.writeArrayFieldStart("assets");
            for (Map.Entry<Integer, SettlementBatch.AssetRoot> e : batch.roots().entrySet()) {
                g.writeStartObject();
                g.writeNumberField("asset", e.getKey());
                g.writeStringField("token", e.getValue().token().toLowerHex());
                g.writeArrayFieldStart("entries");
                for (SettlementStatement.Entry entry : e.getValue().entries()) {
                    g.writeStartArray();
                    g.writeString(entry.address().toLowerHex());
                    g.writeNumber(entry.balance());
                    g.writeEndArray();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("withdrawals");
            for (BatchBuilder.Withdrawal w : batch.withdrawals()) {
                g.writeStartObject();
                g.writeNumberField("withdrawalId", w.withdrawalId());
                g.writeStringField("account", w.account().toLowerHex());
                g.writeStringField("destination", w.destination().toLowerHex());
                g.writeNumberField("asset", w.asset());
                g.writeNumberField("amount", w.amount());
                g.writeNumberField("forcedRef", w.forcedRef());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + tmp, e);
        }
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(tmp, file(batch.batchId()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist batch " + batch.batchId() + " in " + directory, e);
        }
    }

    /** Reads a batch back (trees rebuilt). */
    synchronized CommittedBatch read(long batchId, Map<Integer, Address> tokenOfAsset) {
        Path path = file(batchId);
        JsonNode root;
        try {
            root = MAPPER.readTree(path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        Map<Integer, Address> tokens = new HashMap<>();
        Map<Integer, List<SettlementStatement.Entry>> statements = new TreeMap<>();
        for (JsonNode asset : root.get("assets")) {
            int id = asset.get("asset").asInt();
            tokens.put(id, Address.parseOrThrow(asset.get("token").asText()));
            List<SettlementStatement.Entry> entries = new ArrayList<>(asset.get("entries").size());
            for (JsonNode entry : asset.get("entries")) {
                entries.add(new SettlementStatement.Entry(Address.parseOrThrow(entry.get(0).asText()),
                        entry.get(1).asLong()));
            }
            statements.put(id, entries);
        }
        List<BatchBuilder.Withdrawal> withdrawals = new ArrayList<>();
        for (JsonNode w : root.get("withdrawals")) {
            withdrawals.add(new BatchBuilder.Withdrawal(w.get("withdrawalId").asLong(),
                    Address.parseOrThrow(w.get("account").asText()), Address.parseOrThrow(w.get("destination").asText()),
                    w.get("asset").asInt(), w.get("amount").asLong(), w.get("forcedRef").asLong()));
        }
        return CommittedBatch.rebuild(root.get("batchId").asLong(), root.get("lastSequence").asLong(),
                Long.parseUnsignedLong(root.get("stateHash").asText(), 16), root.get("cutAtMillis").asLong(), tokens,
                statements, withdrawals, tokenOfAsset);
    }

    /**
     * Records that every withdrawal of the batch is paid, with the payment transactions this node sent (withdrawal id
     * to hash, one {@code id hash} line each in the marker: what {@code GET /v1/withdrawals} shows after a restart),
     * then applies the retention rule.
     */
    synchronized void markPaid(long batchId, Map<Long, String> hashes) {
        try {
            if (!Files.exists(paidMarker(batchId))) {
                StringBuilder lines = new StringBuilder();
                hashes.forEach((id, hash) -> lines.append(id).append(' ').append(hash).append('\n'));
                Path tmp = directory.resolve("paid.tmp");
                Files.writeString(tmp, lines);
                Files.move(tmp, paidMarker(batchId), StandardCopyOption.ATOMIC_MOVE);
                syncDirectory();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mark batch " + batchId + " paid in " + directory, e);
        }
        retain();
    }

    /** The payment transactions recorded in the batch's paid marker (empty when none, or no marker). */
    synchronized Map<Long, String> paidHashes(long batchId) {
        Map<Long, String> hashes = new HashMap<>();
        try {
            if (Files.exists(paidMarker(batchId))) {
                for (String line : Files.readAllLines(paidMarker(batchId))) {
                    String[] parts = line.trim().split(" ");
                    if (parts.length == 2 && parts[0].matches("\\d{1,19}") && parts[1].matches("0x[0-9a-fA-F]{64}")) {
                        hashes.put(Long.parseLong(parts[0]), parts[1]);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the paid marker of batch " + batchId + " in " + directory, e);
        }
        return hashes;
    }

    /** Deletes batch files older than the newest {@link #KEEP} whose withdrawals are all paid. */
    synchronized void retain() {
        List<Long> ids = ids();
        for (int i = 0; i < ids.size() - KEEP; i++) {
            long id = ids.get(i);
            if (paid(id)) {
                try {
                    Files.deleteIfExists(file(id));
                    Files.deleteIfExists(paidMarker(id));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete batch " + id + " in " + directory, e);
                }
            }
        }
    }

    private void syncDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the rename is still atomic.
        }
    }
}
