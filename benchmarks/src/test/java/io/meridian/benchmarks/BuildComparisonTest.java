package io.meridian.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BuildComparisonTest {

    @Test
    void everyBuildTakesEveryLoadPlaceOnceInAsManyForksAsBuilds() {
        for (int n = 2; n <= BuildComparison.MAX_BUILDS; n++) {
            int[][] placeCount = new int[n][n];
            for (int fork = 0; fork < n; fork++) {
                Set<Integer> loaded = new HashSet<>();
                for (int place = 0; place < n; place++) {
                    int build = BuildComparison.loadedAt(fork, place, n);
                    loaded.add(build);
                    placeCount[build][place]++;
                }
                assertEquals(n, loaded.size(), "fork " + fork + " loads every build once");
                assertEquals(fork % n, BuildComparison.loadedAt(fork, 0, n), "fork f loads build f % n first");
            }
            for (int[] places : placeCount) {
                for (int count : places) {
                    assertEquals(1, count);
                }
            }
        }
    }

    @Test
    void byLoadOrderTakesTheMedianOfEachOrdersForks() {
        // Two builds, five forks of two rounds: forks 0, 2, 4 load build 1 first, forks 1 and 3 build 2.
        double[] ratios = {1.10, 1.20, 0.80, 0.90, 1.00, 1.30, 0.70, 0.95, 1.40, 1.05};
        assertArrayEquals(new double[] {1.15, 0.85}, BuildComparison.byLoadOrder(ratios, 2, 2), 1e-12);
        // Three builds, four forks of one round: orders 0 (forks 0 and 3), 1, 2.
        assertArrayEquals(new double[] {1.5, 2.0, 3.0},
                BuildComparison.byLoadOrder(new double[] {1.0, 2.0, 3.0, 2.0}, 1, 3), 1e-12);
        // Fewer forks than builds: only the orders that ran.
        assertArrayEquals(new double[] {2.0}, BuildComparison.byLoadOrder(new double[] {1.0, 3.0}, 2, 2), 1e-12);
    }
}
