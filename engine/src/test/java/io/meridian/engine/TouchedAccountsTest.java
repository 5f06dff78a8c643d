package io.meridian.engine;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TouchedAccountsTest {

    /** Whatever the number of entries, the list is the distinct pairs in first-touched order, and clear() resets it. */
    @Property(tries = 300)
    void keepsDistinctPairsInFirstTouchedOrder(@ForAll @Size(max = 200) List<@IntRange(min = 1, max = 40) Integer> ids,
                                               @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 2) Integer> raw) {
        TouchedAccounts touched = new TouchedAccounts();
        for (int round = 0; round < 2; round++) {
            Set<String> expected = new LinkedHashSet<>();
            for (int i = 0; i < ids.size(); i++) {
                int asset = i < raw.size() ? raw.get(i) : 0;
                touched.add(ids.get(i), asset);
                expected.add(ids.get(i) + "/" + asset);
            }
            List<String> actual = new ArrayList<>();
            for (int i = 0; i < touched.size(); i++) {
                actual.add(touched.account(i) + "/" + touched.asset(i));
            }
            assertEquals(new ArrayList<>(expected), actual);
            touched.clear();
            assertEquals(0, touched.size());
        }
    }
}
