package io.meridian.engine;

import io.meridian.model.IndexSpec;
import io.meridian.model.OptionMarginSpec;
import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.model.snapshot.SpecCodec;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * The option margin parameters set by {@code SET_OPTION_MARGIN}, by index id: what an index's margin table is built
 * with when its first option is listed, and what queries report ({@code GET /v1/option-margin}). An index never set
 * keeps the library's defaults ({@link OptionMarginSpecs#defaults}). {@link Options} checks a spec and installs it in
 * an existing table before storing it here; this class owns the stored specs, and hashes and snapshots them for
 * {@link Options}.
 *
 * <p>Engine thread only. Allocates only when a spec is set for an index beyond those seen before.
 */
final class OptionMarginParameters {
    /** By index id; null where an index keeps the library's defaults. */
    private OptionMarginSpec[] specs = new OptionMarginSpec[8];

    /** The parameters of an index: those last set for it, else the library's defaults. */
    OptionMarginSpec get(int indexId) {
        OptionMarginSpec spec = indexId >= 0 && indexId < specs.length ? specs[indexId] : null;
        return spec != null ? spec : OptionMarginSpecs.defaults();
    }

    /** Stores the parameters of an index; the caller checked them ({@link OptionMarginSpecs#problem}). */
    void set(int indexId, OptionMarginSpec spec) {
        if (indexId >= specs.length) {
            specs = Arrays.copyOf(specs, Math.max(indexId + 1, specs.length * 2));
        }
        specs[indexId] = spec;
    }

    /** The number of indexes whose parameters were set. */
    int count() {
        int n = 0;
        for (OptionMarginSpec spec : specs) {
            n += spec == null ? 0 : 1;
        }
        return n;
    }

    /** The count, then each set index and its spec, by index id. */
    void hashState(StateHasher hasher) {
        hasher.add(count());
        for (int i = 0; i < specs.length; i++) {
            if (specs[i] != null) {
                hasher.add(i).add(specs[i].toString());
            }
        }
    }

    /** Writes the count, then each set index and its spec ({@link SpecCodec#writeOptionMargin}), by index id. */
    void writeSnapshot(SnapshotWriter out) {
        out.writeCount(count());
        for (int i = 0; i < specs.length; i++) {
            if (specs[i] != null) {
                out.writeCount(i);
                SpecCodec.writeOptionMargin(out, specs[i]);
            }
        }
    }

    /**
     * Restores what {@link #writeSnapshot} wrote. Refuses parameters the margin library refuses and those of an index
     * the engine lacks ({@code indexExists}).
     */
    void readSnapshot(SnapshotReader in, IntPredicate indexExists) {
        int count = in.readCount(16);
        for (int i = 0; i < count; i++) {
            int indexId = in.readIndex(IndexSpec.MAX_INDEXES, "index");
            OptionMarginSpec spec = SpecCodec.readOptionMargin(in);
            Optional<String> problem = OptionMarginSpecs.problem(spec);
            if (problem.isPresent() || !indexExists.test(indexId)) {
                throw in.fail("option margin of index " + indexId + ": " + problem.orElse("no such index"));
            }
            set(indexId, spec);
        }
    }
}
