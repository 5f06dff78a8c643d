package io.meridian.pricing.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;

class NormalDistributionTest {
    /**
     * (x, Phi(x)) computed with mpmath at 40 significant digits at the exact binary value of each x (the double
     * nearest the literal, not the decimal literal: at x = -5.65 the two differ by 2e-15 relative), rounded to 22.
     */
    private static final double[][] CDF = {
        {-37.5, 4.605353009581954843828e-308},
        {-30, 4.906713927148187059534e-198},
        {-20, 2.753624118606233695076e-89},
        {-12.5, 3.732564298877713377226e-36},
        {-10, 7.619853024160526065973e-24},
        {-8, 6.220960574271784123516e-16},
        {-6, 9.865876450376981407009e-10},
        {-5.65, 8.022391850663497599124e-9},
        {-4.42, 0.000004935045062533270233055},
        {-3, 0.001349898031630094526652},
        {-2, 0.02275013194817920720028},
        {-1.5, 0.06680720126885806600449},
        {-1, 0.1586552539314570514148},
        {-0.67, 0.251428895095310101552},
        {-0.66, 0.2546269146713361376367},
        {-0.25, 0.4012936743170762757591},
        {-1e-8, 0.4999999960105771959857},
        {0, 0.5},
        {0.1, 0.5398278372770289836689},
        {0.5, 0.6914624612740131036377},
        {0.66, 0.7453730853286638623633},
        {0.67, 0.748571104904689898448},
        {1, 0.8413447460685429485852},
        {1.96, 0.9750021048517795637872},
        {2.5, 0.993790334674223864833},
        {3, 0.9986501019683699054733},
        {4, 0.9999683287581668800787},
        {5, 0.9999997133484281208061},
        {6, 0.9999999990134123549623},
        {8, 0.9999999999999993779039},
    };
    /** (x, phi(x)), the same way. */
    private static final double[][] PDF = {
        {0, 0.3989422804014326779399},
        {0.5, 0.3520653267642994777747},
        {1, 0.2419707245191433497978},
        {2.5, 0.01752830049356853736216},
        {5, 0.000001486719514734297707908},
        {10, 7.694598626706419346339e-23},
        {20, 5.520948362159763189583e-88},
        {30, 1.473646134878547519049e-196},
    };

    @Test
    void cdfMatchesHighPrecisionReferenceToAboutOneUlp() {
        for (double[] row : CDF) {
            double got = NormalDistribution.cdf(row[0]);
            double relative = Math.abs(got - row[1]) / row[1];
            assertTrue(relative <= 1e-15, "cdf(" + row[0] + ") = " + got + ", expected " + row[1] + ", rel " + relative);
        }
    }

    @Test
    void pdfMatchesHighPrecisionReference() {
        for (double[] row : PDF) {
            double got = NormalDistribution.pdf(row[0]);
            assertTrue(Math.abs(got - row[1]) <= 2e-15 * row[1], "pdf(" + row[0] + ") = " + got);
            assertEquals(got, NormalDistribution.pdf(-row[0]), 0.0);
        }
    }

    @Test
    void limitsAndNan() {
        assertEquals(0.0, NormalDistribution.cdf(Double.NEGATIVE_INFINITY), 0.0);
        assertEquals(1.0, NormalDistribution.cdf(Double.POSITIVE_INFINITY), 0.0);
        assertEquals(0.0, NormalDistribution.cdf(-50), 0.0);
        assertTrue(Double.isNaN(NormalDistribution.cdf(Double.NaN)));
        assertEquals(0.0, NormalDistribution.pdf(50), 0.0);
    }

    @Property(tries = 2000)
    void symmetricAndMonotone(@ForAll @DoubleRange(min = -12, max = 12) double x) {
        double sum = NormalDistribution.cdf(x) + NormalDistribution.cdf(-x);
        assertEquals(1.0, sum, 4e-16);
        assertTrue(NormalDistribution.cdf(x) <= NormalDistribution.cdf(x + 1e-3));
    }
}
