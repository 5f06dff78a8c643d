package io.meridian.risk.margin;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random but valid margin schedules for the property tests, drawn from a seeded {@link Random}. */
final class MarginFixtures {

    private MarginFixtures() {
    }

    /**
     * 1 to 10 tiers with floors from 0 up to ~1e15 minor units (not multiples of 1e6, so amounts have fractions),
     * MMR and IMR non-decreasing, MMR < IMR <= 100%, max leverage derived from the IMR.
     */
    static MarginSchedule randomSchedule(Random random) {
        int n = 1 + random.nextInt(10);
        List<MarginTier> tiers = new ArrayList<>(n);
        long floor = 0;
        long mmr = 1 + random.nextInt(20_000);
        long imr = mmr + 1 + random.nextInt(20_000);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                floor += 1 + (long) (random.nextDouble() * Math.pow(10, 1 + random.nextInt(14)));
                mmr = Math.min(mmr + random.nextInt(50_000), 900_000);
                imr = Math.min(Math.max(imr, mmr + 1) + random.nextInt(60_000), 1_000_000);
            }
            tiers.add(MarginTier.of(floor, mmr, imr));
        }
        return new MarginSchedule(tiers);
    }

    /** A notional that lands often near tier floors: a floor plus or minus a small offset, or anywhere. */
    static long randomNotional(Random random, MarginSchedule schedule) {
        List<MarginTier> tiers = schedule.tiers();
        long floor = tiers.get(random.nextInt(tiers.size())).notionalFloor();
        switch (random.nextInt(3)) {
            case 0:
                return Math.max(0, floor + random.nextInt(2_001) - 1_000);
            case 1:
                return Math.max(0, floor + (long) (random.nextGaussian() * 1e9));
            default:
                return (long) (random.nextDouble() * Math.pow(10, random.nextInt(18)));
        }
    }
}
