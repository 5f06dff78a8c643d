package io.meridian.node;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link TradedPairs} against the naive reference it replaced (a {@link LinkedHashSet} of boxed pairs): the same pairs
 * in the same order after every command, with one instance reused across commands (so {@code clear} is tested with
 * every capacity it grew to), small domains (many repeats) and large commands (growth). Fixed seed (repeatable).
 */
class TradedPairsProperties {
    @Provide
    Arbitrary<List<List<long[]>>> commands() {
        Arbitrary<long[]> narrow = Arbitraries.longs().between(1, 6).tuple2()
                .map(t -> new long[] {t.get1(), t.get2()});
        Arbitrary<long[]> wide = Arbitraries.longs().between(Long.MIN_VALUE, Long.MAX_VALUE).tuple2()
                .map(t -> new long[] {t.get1(), (int) (long) t.get2()});
        Arbitrary<List<long[]>> command = Arbitraries.oneOf(narrow, wide, narrow).list().ofMaxSize(300);
        return command.list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 400, seed = "20261207")
    void sameDistinctPairsInFirstSeenOrderAsTheNaiveSet(@ForAll("commands") List<List<long[]>> commands) {
        TradedPairs pairs = new TradedPairs();
        for (List<long[]> command : commands) {
            Set<List<Long>> reference = new LinkedHashSet<>();
            for (long[] pair : command) {
                pairs.add(pair[0], (int) pair[1]);
                reference.add(List.of(pair[0], (long) (int) pair[1]));
            }
            List<List<Long>> got = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
                got.add(List.of(pairs.account(i), (long) pairs.instrument(i)));
            }
            assertEquals(new ArrayList<>(reference), got);
            assertEquals(reference.isEmpty(), pairs.isEmpty());
            pairs.clear();
            assertEquals(0, pairs.size());
        }
    }
}
