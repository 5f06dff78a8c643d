package io.meridian.pricing.options;

import java.util.Arrays;
import java.util.Optional;

/**
 * Fits a raw SVI smile ({@link SviParams}) to one expiry's quotes by weighted least squares in total variance,
 * {@code min sum_i weight_i (w(k_i) - w_i)^2}, deterministically.
 *
 * <p><b>Method: the quasi-explicit calibration of Zeliade</b> (De Marco and Martini, "Quasi-explicit calibration
 * of Gatheral's SVI model", Zeliade white paper, 2009). For fixed (m, sigma), with {@code y = (k - m) / sigma},
 * {@code w = a + d y + c sqrt(y^2 + 1)} where {@code c = b sigma} and {@code d = rho b sigma} is linear in
 * (a, d, c), so the inner problem is a 3-variable quadratic program over a polytope. It is solved exactly: the
 * unconstrained minimiser when it is feasible, else by enumerating every set of at most three active constraints,
 * solving each equality-constrained least-squares problem (its KKT system) and keeping the best feasible one; the
 * optimum of a convex QP is among them. The outer
 * problem over (m, ln sigma) is two-dimensional: a fixed coarse grid picks the three best starting points and a
 * Nelder-Mead simplex (at most {@link #MAX_NM_ITERATIONS} steps each) refines them. No randomness: the same quotes
 * give the same bits.
 *
 * <p><b>Constraints</b> (linear in (a, d, c), so exact in the inner QP):
 * <ul>
 *   <li>{@code |d| <= RHO_MAX c}: {@code b >= 0} and {@code |rho| <= RHO_MAX = 0.999};</li>
 *   <li>{@code c + |d| <= 2 sigma}: {@code b (1 + |rho|) <= 2}, Lee's moment bound on the wing slopes of total
 *       variance (steeper wings are arbitrage);</li>
 *   <li>{@code a + c - |d| >= 0}: {@code a + b sigma (1 - |rho|) >= 0}, a linear condition that implies the
 *       non-negative minimum {@code a + b sigma sqrt(1 - rho^2) >= 0} (it is slightly stronger);</li>
 *   <li>{@code a <= max_i w_i} (Zeliade's bound), and sigma in [{@link #MIN_SIGMA}, {@link #MAX_SIGMA}].</li>
 * </ul>
 *
 * <p>The fit is then screened for butterfly arbitrage ({@link SmileArbitrage#butterfly}) and rejected with
 * {@link SurfaceReject#BUTTERFLY_ARBITRAGE} if it has any: it is not repaired, since a repair would no longer fit
 * the quotes the caller gave; the caller drops or re-weights quotes.
 */
public final class SviFitter {
    /** Distinct strikes with a positive weight needed for a fit. */
    public static final int MIN_QUOTES = 5;
    /** The largest |rho| a fit may take. */
    public static final double RHO_MAX = 0.999;
    /** Bounds on sigma searched by the outer problem. */
    public static final double MIN_SIGMA = 1e-4;
    public static final double MAX_SIGMA = 10.0;
    /** The cap on Nelder-Mead iterations per start. */
    public static final int MAX_NM_ITERATIONS = 600;
    private static final int STARTS = 3;
    private static final int GRID_M = 13;
    private static final int GRID_SIGMA = 12;
    private static final double SIMPLEX_TOLERANCE = 1e-12;
    /**
     * The inner constraints {@code row . (a, d, c) >= beta}, in order: {@code RHO_MAX c - d >= 0},
     * {@code RHO_MAX c + d >= 0}, {@code -c - d >= -2 sigma}, {@code -c + d >= -2 sigma}, {@code a + c - d >= 0},
     * {@code a + c + d >= 0}, {@code -a >= -max w}.
     */
    private static final double[][] ROWS = {
        {0.0, -1.0, RHO_MAX},
        {0.0, 1.0, RHO_MAX},
        {0.0, -1.0, -1.0},
        {0.0, 1.0, -1.0},
        {1.0, -1.0, 1.0},
        {1.0, 1.0, 1.0},
        {-1.0, 0.0, 0.0},
    };
    private static final int CONSTRAINTS = ROWS.length;

    private SviFitter() {
    }

    /** Fits one expiry; see the class doc. Never throws for valid {@link ExpiryQuotes}. */
    public static SmileFit fit(ExpiryQuotes expiry) {
        Problem problem = Problem.of(expiry);
        if (problem == null) {
            return new SmileFit(null, Double.NaN, SurfaceReject.TOO_FEW_QUOTES, "expiry " + expiry.tte()
                    + " has fewer than " + MIN_QUOTES + " distinct strikes with a positive weight");
        }
        double[] best = problem.outerMinimum();
        if (best == null) {
            // Every trial fit's error overflowed: quotes so large (a vol of 1e300) that no smile has a finite error.
            return new SmileFit(null, Double.NaN, SurfaceReject.INVALID_INPUT, "expiry " + expiry.tte()
                    + ": no smile fits the quotes with a finite error (a total variance out of range)");
        }
        Inner inner = problem.inner(best[0], StrictMath.exp(best[1]));
        SviParams params = toRaw(inner, best[0], StrictMath.exp(best[1]));
        Smile smile = new Smile(expiry.tte(), expiry.forward(), params);
        double rmse = StrictMath.sqrt(StrictMath.max(0.0, inner.objective) / problem.weightSum);
        double halfWidth = SmileArbitrage.gridHalfWidth(params, problem.maxAbsK);
        Optional<ArbitrageViolation> butterfly = SmileArbitrage.butterfly(params, halfWidth);
        if (butterfly.isPresent()) {
            ArbitrageViolation v = butterfly.get();
            return new SmileFit(smile, rmse, SurfaceReject.BUTTERFLY_ARBITRAGE, "expiry " + expiry.tte()
                    + ": fitted smile has butterfly arbitrage, g(k) = " + v.value() + " < 0 at k = " + v.k()
                    + " (" + params + ")");
        }
        return new SmileFit(smile, rmse, null, "ok");
    }

    private static SviParams toRaw(Inner inner, double m, double sigma) {
        double c = StrictMath.max(0.0, inner.c);
        double b = c / sigma;
        double rho = c > 0.0 ? StrictMath.max(-RHO_MAX, StrictMath.min(RHO_MAX, inner.d / c)) : 0.0;
        // The inner QP allows a + c - |d| to be off by rounding; lift a onto the exact minimum-variance bound.
        double a = StrictMath.max(inner.a, -b * sigma * StrictMath.sqrt(1.0 - rho * rho));
        return new SviParams(a, b, rho, m, sigma);
    }

    /** The result of the inner QP at one (m, sigma). */
    private record Inner(double a, double d, double c, double objective) {
    }

    /** The quotes in the form the fit needs, and the two nested minimisations. */
    private static final class Problem {
        private final double[] k;
        private final double[] w;
        private final double[] weight;
        private final double weightSum;
        private final double maxW;
        private final double maxAbsK;
        private final double kMin;
        private final double kMax;
        private final double sumWeightedSquares;

        private Problem(double[] k, double[] w, double[] weight) {
            this.k = k;
            this.w = w;
            this.weight = weight;
            double sum = 0.0;
            double maxVariance = 0.0;
            double absK = 0.0;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            double squares = 0.0;
            for (int i = 0; i < k.length; i++) {
                sum += weight[i];
                maxVariance = StrictMath.max(maxVariance, w[i]);
                absK = StrictMath.max(absK, StrictMath.abs(k[i]));
                lo = StrictMath.min(lo, k[i]);
                hi = StrictMath.max(hi, k[i]);
                squares += weight[i] * w[i] * w[i];
            }
            this.weightSum = sum;
            this.maxW = maxVariance;
            this.maxAbsK = absK;
            this.kMin = lo;
            this.kMax = hi;
            this.sumWeightedSquares = squares;
        }

        /** Null when there are too few usable quotes. */
        static Problem of(ExpiryQuotes expiry) {
            int n = 0;
            double[] k = new double[expiry.quotes().size()];
            double[] w = new double[k.length];
            double[] weight = new double[k.length];
            double[] strikes = new double[k.length];
            for (VolQuote q : expiry.quotes()) {
                if (q.weight() > 0.0) {
                    k[n] = StrictMath.log(q.strike() / expiry.forward());
                    w[n] = q.totalVarianceAt(expiry.tte());
                    weight[n] = q.weight();
                    strikes[n] = q.strike();
                    n++;
                }
            }
            double[] sorted = Arrays.copyOf(strikes, n);
            Arrays.sort(sorted);
            int distinct = 0;
            for (int i = 0; i < n; i++) {
                if (i == 0 || sorted[i] != sorted[i - 1]) {
                    distinct++;
                }
            }
            if (distinct < MIN_QUOTES) {
                return null;
            }
            return new Problem(Arrays.copyOf(k, n), Arrays.copyOf(w, n), Arrays.copyOf(weight, n));
        }

        double mLow() {
            return kMin - (kMax - kMin) - 1.0;
        }

        double mHigh() {
            return kMax + (kMax - kMin) + 1.0;
        }

        /** The best (m, ln sigma): coarse grid, then Nelder-Mead from the {@link #STARTS} best grid points. */
        double[] outerMinimum() {
            double[][] starts = new double[STARTS][];
            double[] startValues = new double[STARTS];
            Arrays.fill(startValues, Double.POSITIVE_INFINITY);
            double range = StrictMath.max(kMax - kMin, 0.01);
            double lnLo = StrictMath.log(StrictMath.max(MIN_SIGMA, 0.005 * range));
            double lnHi = StrictMath.log(StrictMath.min(MAX_SIGMA, 2.0 * range));
            for (int i = 0; i < GRID_M; i++) {
                double m = kMin - 0.25 * range + 1.5 * range * i / (GRID_M - 1);
                for (int j = 0; j < GRID_SIGMA; j++) {
                    double lnSigma = lnLo + (lnHi - lnLo) * j / (GRID_SIGMA - 1);
                    double value = objective(m, lnSigma);
                    insert(starts, startValues, new double[] {m, lnSigma}, value);
                }
            }
            double[] best = starts[0];
            double bestValue = startValues[0];
            for (int s = 0; s < STARTS; s++) {
                if (starts[s] == null) {
                    continue;
                }
                double[] result = nelderMead(starts[s], 0.1 * range, 0.5);
                double value = objective(result[0], result[1]);
                if (value < bestValue) {
                    bestValue = value;
                    best = result;
                }
            }
            return best;
        }

        /** Keeps the STARTS lowest values, sorted ascending; ties keep the earlier point. */
        private static void insert(double[][] points, double[] values, double[] point, double value) {
            int pos = values.length;
            while (pos > 0 && value < values[pos - 1]) {
                pos--;
            }
            if (pos == values.length) {
                return;
            }
            for (int i = values.length - 1; i > pos; i--) {
                values[i] = values[i - 1];
                points[i] = points[i - 1];
            }
            values[pos] = value;
            points[pos] = point;
        }

        /** The inner objective at (m, ln sigma), the point first clamped into the search box. */
        double objective(double m, double lnSigma) {
            return inner(clampM(m), StrictMath.exp(clampLnSigma(lnSigma))).objective;
        }

        private double clampM(double m) {
            return StrictMath.max(mLow(), StrictMath.min(mHigh(), m));
        }

        private static double clampLnSigma(double lnSigma) {
            return StrictMath.max(StrictMath.log(MIN_SIGMA), StrictMath.min(StrictMath.log(MAX_SIGMA), lnSigma));
        }

        /**
         * Nelder-Mead on (m, ln sigma) with the standard coefficients (reflection 1, expansion 2, contraction and
         * shrink 1/2), from {@code start} with the given initial steps; stops when the simplex is smaller than
         * {@link #SIMPLEX_TOLERANCE} in both coordinates or after {@link #MAX_NM_ITERATIONS} steps. Returns the
         * best vertex, clamped into the search box.
         */
        double[] nelderMead(double[] start, double stepM, double stepLnSigma) {
            double[][] x = {
                {start[0], start[1]},
                {start[0] + stepM, start[1]},
                {start[0], start[1] + stepLnSigma},
            };
            double[] f = new double[3];
            for (int i = 0; i < 3; i++) {
                f[i] = objective(x[i][0], x[i][1]);
            }
            for (int iteration = 0; iteration < MAX_NM_ITERATIONS; iteration++) {
                sortSimplex(x, f);
                double size = StrictMath.max(
                        StrictMath.max(StrictMath.abs(x[1][0] - x[0][0]), StrictMath.abs(x[2][0] - x[0][0])),
                        StrictMath.max(StrictMath.abs(x[1][1] - x[0][1]), StrictMath.abs(x[2][1] - x[0][1])));
                if (size < SIMPLEX_TOLERANCE) {
                    break;
                }
                double cm = 0.5 * (x[0][0] + x[1][0]);
                double cs = 0.5 * (x[0][1] + x[1][1]);
                double[] reflected = {2.0 * cm - x[2][0], 2.0 * cs - x[2][1]};
                double fr = objective(reflected[0], reflected[1]);
                if (fr < f[0]) {
                    double[] expanded = {3.0 * cm - 2.0 * x[2][0], 3.0 * cs - 2.0 * x[2][1]};
                    double fe = objective(expanded[0], expanded[1]);
                    if (fe < fr) {
                        x[2] = expanded;
                        f[2] = fe;
                    } else {
                        x[2] = reflected;
                        f[2] = fr;
                    }
                } else if (fr < f[1]) {
                    x[2] = reflected;
                    f[2] = fr;
                } else {
                    boolean outside = fr < f[2];
                    double[] contracted = outside
                            ? new double[] {cm + 0.5 * (reflected[0] - cm), cs + 0.5 * (reflected[1] - cs)}
                            : new double[] {cm + 0.5 * (x[2][0] - cm), cs + 0.5 * (x[2][1] - cs)};
                    double fc = objective(contracted[0], contracted[1]);
                    if (fc < (outside ? fr : f[2])) {
                        x[2] = contracted;
                        f[2] = fc;
                    } else {
                        for (int i = 1; i < 3; i++) {
                            x[i] = new double[] {x[0][0] + 0.5 * (x[i][0] - x[0][0]), x[0][1] + 0.5 * (x[i][1] - x[0][1])};
                            f[i] = objective(x[i][0], x[i][1]);
                        }
                    }
                }
            }
            sortSimplex(x, f);
            return new double[] {clampM(x[0][0]), clampLnSigma(x[0][1])};
        }

        /** Insertion sort of the three vertices by value; stable, so ties keep their order. */
        private static void sortSimplex(double[][] x, double[] f) {
            for (int i = 1; i < 3; i++) {
                for (int j = i; j > 0 && f[j] < f[j - 1]; j--) {
                    double tf = f[j];
                    f[j] = f[j - 1];
                    f[j - 1] = tf;
                    double[] tx = x[j];
                    x[j] = x[j - 1];
                    x[j - 1] = tx;
                }
            }
        }

        /**
         * The inner QP at fixed (m, sigma): minimise {@code sum weight (a + d y + c z - w)^2} over (a, d, c) subject
         * to {@code A x >= beta} (the rows of the class doc), by active-set enumeration.
         */
        Inner inner(double m, double sigma) {
            // Normal equations: H x = g with the basis (1, y, z).
            double[][] h = new double[3][3];
            double[] g = new double[3];
            double[] phi = new double[3];
            for (int i = 0; i < k.length; i++) {
                double y = (k[i] - m) / sigma;
                phi[0] = 1.0;
                phi[1] = y;
                phi[2] = StrictMath.sqrt(y * y + 1.0);
                for (int r = 0; r < 3; r++) {
                    g[r] += weight[i] * w[i] * phi[r];
                    for (int c = 0; c < 3; c++) {
                        h[r][c] += weight[i] * phi[r] * phi[c];
                    }
                }
            }
            double[][] rows = ROWS;
            double[] beta = {0.0, 0.0, -2.0 * sigma, -2.0 * sigma, 0.0, 0.0, -maxW};
            double bestObjective = Double.POSITIVE_INFINITY;
            double[] bestX = null;
            int[] active = new int[3];
            for (int mask = 0; mask < (1 << CONSTRAINTS); mask++) {
                int count = Integer.bitCount(mask);
                if (count > 3) {
                    continue;
                }
                int n = 0;
                for (int j = 0; j < CONSTRAINTS; j++) {
                    if ((mask & (1 << j)) != 0) {
                        active[n++] = j;
                    }
                }
                if (!independent(rows, active, count)) {
                    continue;
                }
                double[] x = solveKkt(h, g, rows, beta, active, count);
                if (x == null || !feasible(x, rows, beta)) {
                    continue;
                }
                if (mask == 0) {
                    // The unconstrained minimiser is feasible: it is the optimum, no need to try active sets.
                    bestX = x;
                    break;
                }
                double value = objectiveOf(h, g, x);
                if (value < bestObjective) {
                    bestObjective = value;
                    bestX = x;
                }
            }
            if (bestX == null) {
                // Unreachable: x = (maxW, 0, 0) is always feasible (a flat smile); kept as a safe answer.
                bestX = new double[] {maxW, 0.0, 0.0};
            }
            // The quadratic form picked the candidate; the returned value is summed from the residuals, whose
            // rounding is relative to the fit error and not to sum w^2, so the outer search can go on refining
            // (m, sigma) long after x'Hx - 2g'x + c has lost all its digits to cancellation.
            return new Inner(bestX[0], bestX[1], bestX[2], residualSquares(m, sigma, bestX));
        }

        private double residualSquares(double m, double sigma, double[] x) {
            double sum = 0.0;
            for (int i = 0; i < k.length; i++) {
                double y = (k[i] - m) / sigma;
                double r = x[0] + x[1] * y + x[2] * StrictMath.sqrt(y * y + 1.0) - w[i];
                sum += weight[i] * r * r;
            }
            return sum;
        }

        /** {@code sum weight (phi.x - w)^2 = x'Hx - 2 g'x + sum weight w^2}. */
        private double objectiveOf(double[][] h, double[] g, double[] x) {
            double quad = 0.0;
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    quad += x[r] * h[r][c] * x[c];
                }
            }
            return quad - 2.0 * (g[0] * x[0] + g[1] * x[1] + g[2] * x[2]) + sumWeightedSquares;
        }

        private boolean feasible(double[] x, double[][] rows, double[] beta) {
            double scale = 1e-12 * (1.0 + maxW);
            for (int j = 0; j < rows.length; j++) {
                double lhs = rows[j][0] * x[0] + rows[j][1] * x[1] + rows[j][2] * x[2];
                if (lhs < beta[j] - scale) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Whether the active constraint rows are linearly independent (else the KKT system is singular). The rows
         * are fixed small numbers, so a plain cross product or determinant decides it.
         */
        private static boolean independent(double[][] rows, int[] active, int count) {
            if (count < 2) {
                return true;
            }
            double[] u = rows[active[0]];
            double[] v = rows[active[1]];
            double[] cross = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
            if (count == 2) {
                return StrictMath.abs(cross[0]) + StrictMath.abs(cross[1]) + StrictMath.abs(cross[2]) > 1e-9;
            }
            double[] t = rows[active[2]];
            return StrictMath.abs(cross[0] * t[0] + cross[1] * t[1] + cross[2] * t[2]) > 1e-9;
        }

        /**
         * Minimises {@code x'Hx - 2 g'x} with the active rows as equalities: the KKT system
         * {@code [H A'; A 0] [x; -lambda] = [g; beta]}, by Gaussian elimination with partial pivoting. Null when
         * singular or the solution is not finite: H is positive definite (at least three distinct k) and the active
         * rows are independent, so that happens only when H is numerically singular at an extreme (m, sigma).
         */
        private static double[] solveKkt(double[][] h, double[] g, double[][] rows, double[] beta, int[] active,
                                         int count) {
            int size = 3 + count;
            double[][] a = new double[size][size + 1];
            for (int r = 0; r < 3; r++) {
                System.arraycopy(h[r], 0, a[r], 0, 3);
                for (int j = 0; j < count; j++) {
                    a[r][3 + j] = rows[active[j]][r];
                }
                a[r][size] = g[r];
            }
            for (int j = 0; j < count; j++) {
                System.arraycopy(rows[active[j]], 0, a[3 + j], 0, 3);
                a[3 + j][size] = beta[active[j]];
            }
            for (int col = 0; col < size; col++) {
                int pivot = col;
                for (int r = col + 1; r < size; r++) {
                    if (StrictMath.abs(a[r][col]) > StrictMath.abs(a[pivot][col])) {
                        pivot = r;
                    }
                }
                if (a[pivot][col] == 0.0) {
                    return null;
                }
                double[] tmp = a[col];
                a[col] = a[pivot];
                a[pivot] = tmp;
                for (int r = col + 1; r < size; r++) {
                    double factor = a[r][col] / a[col][col];
                    if (factor != 0.0) {
                        for (int c = col; c <= size; c++) {
                            a[r][c] -= factor * a[col][c];
                        }
                    }
                }
            }
            double[] solution = new double[size];
            for (int r = size - 1; r >= 0; r--) {
                double sum = a[r][size];
                for (int c = r + 1; c < size; c++) {
                    sum -= a[r][c] * solution[c];
                }
                solution[r] = sum / a[r][r];
            }
            if (!Double.isFinite(solution[0]) || !Double.isFinite(solution[1]) || !Double.isFinite(solution[2])) {
                return null;
            }
            return new double[] {solution[0], solution[1], solution[2]};
        }
    }
}
