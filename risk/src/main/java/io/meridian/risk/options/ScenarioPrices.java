package io.meridian.risk.options;

import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;

import java.util.Arrays;

/**
 * The priced numbers of every series of a {@link ScenarioTable}; the table holds two of them, so that a reprice can
 * fail without a trace. Engine thread (the table's).
 */
final class ScenarioPrices {
    /** Series-major: series i's scenario s is at {@code i x scenarios + s}. */
    long[] pnlDown = new long[0];
    long[] pnlUp = new long[0];
    long[] markDown = new long[0];
    long[] markUp = new long[0];
    long[] deltaMicros = new long[0];
    long[] initialRisk = new long[0];
    long[] maintenanceRisk = new long[0];
    double[] vol = new double[0];
    double[] carry = new double[0];

    /** Room for {@code series} series of {@code scenarios} scenarios, keeping what is there (grows x2). */
    void ensure(int series, int scenarios) {
        if (markDown.length < series) {
            int n = Math.max(series, markDown.length * 2);
            markDown = Arrays.copyOf(markDown, n);
            markUp = Arrays.copyOf(markUp, n);
            deltaMicros = Arrays.copyOf(deltaMicros, n);
            initialRisk = Arrays.copyOf(initialRisk, n);
            maintenanceRisk = Arrays.copyOf(maintenanceRisk, n);
            vol = Arrays.copyOf(vol, n);
            carry = Arrays.copyOf(carry, n);
        }
        long cells = (long) series * scenarios;
        if (cells > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("too many series x scenarios for one table: " + cells);
        }
        if (pnlDown.length < cells) {
            int n = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(cells, (long) pnlDown.length * 2));
            pnlDown = Arrays.copyOf(pnlDown, n);
            pnlUp = Arrays.copyOf(pnlUp, n);
        }
    }

    /** Writes the first {@code series} series' numbers (part of {@link ScenarioTable#writeSnapshot}). */
    void writeSnapshot(SnapshotWriter out, int series, int scenarios) {
        for (int i = 0; i < series; i++) {
            out.writeVarLong(markDown[i]);
            out.writeVarLong(markUp[i]);
            out.writeVarLong(deltaMicros[i]);
            out.writeVarLong(initialRisk[i]);
            out.writeVarLong(maintenanceRisk[i]);
            out.writeDouble(vol[i]);
            out.writeDouble(carry[i]);
            for (int s = 0, at = i * scenarios; s < scenarios; s++, at++) {
                out.writeVarLong(pnlDown[at]);
                out.writeVarLong(pnlUp[at]);
            }
        }
    }

    /** Reads what {@link #writeSnapshot} wrote into room already {@link #ensure ensured} for {@code series}. */
    void readSnapshot(SnapshotReader in, int series, int scenarios) {
        for (int i = 0; i < series; i++) {
            markDown[i] = in.readVarLong();
            markUp[i] = in.readVarLong();
            deltaMicros[i] = in.readVarLong();
            initialRisk[i] = in.readVarLong();
            maintenanceRisk[i] = in.readVarLong();
            vol[i] = in.readDouble();
            carry[i] = in.readDouble();
            for (int s = 0, at = i * scenarios; s < scenarios; s++, at++) {
                pnlDown[at] = in.readVarLong();
                pnlUp[at] = in.readVarLong();
            }
        }
    }
}
