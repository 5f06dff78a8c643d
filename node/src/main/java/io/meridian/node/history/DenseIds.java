package io.meridian.node.history;

import java.util.List;
import java.util.function.Supplier;

/** Per-id state of the histories, in a list indexed by small dense ids (instruments, assets); made on first use. */
final class DenseIds {
    private DenseIds() {
    }

    /** The entry of {@code id}, made by {@code make} (and the list grown with nulls to reach it) the first time. */
    static <T> T getOrMake(List<T> byId, int id, Supplier<T> make) {
        while (byId.size() <= id) {
            byId.add(null);
        }
        T entry = byId.get(id);
        if (entry == null) {
            entry = make.get();
            byId.set(id, entry);
        }
        return entry;
    }
}
