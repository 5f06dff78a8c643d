package io.meridian.engine;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a process that runs the engine (a node, a cluster member) says at start about the JVM it runs in, when that JVM
 * lacks an option the engine was measured to need (docs/operations.md, "JVM options"): today one, G1's adaptive card
 * refinement, which ran the 128-book engine benchmark 25% slower with a p99.99 of 350 us in seven JVMs of eight.
 * {@code ./meridian} sets the options (config/jvm-options.sh, whose values {@link #REFINEMENT_OPTIONS} repeats:
 * JvmAdviceTest holds the two together); a process started some other way (its own {@code java -jar}, a service unit)
 * is told here. Advice only: the process starts either way.
 */
public final class JvmAdvice {
    /** The options config/jvm-options.sh gives G1 on JDK 17-19, as the advice names them. */
    static final String REFINEMENT_OPTIONS = "-XX:-G1UseAdaptiveConcRefinement -XX:G1ConcRefinementGreenZone=256"
            + " -XX:G1ConcRefinementYellowZone=512 -XX:G1ConcRefinementRedZone=1024";

    private JvmAdvice() {
    }

    /** Lines of advice for the running JVM (empty when it has the options, or is not a HotSpot JVM). */
    public static List<String> forThisJvm() {
        HotSpotDiagnosticMXBean diagnostics;
        try {
            diagnostics = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        } catch (RuntimeException e) {
            return List.of();
        }
        if (diagnostics == null) {
            return List.of();
        }
        return advice(name -> {
            try {
                return Optional.of(diagnostics.getVMOption(name).getValue());
            } catch (IllegalArgumentException e) {
                return Optional.empty(); // no such option in this JVM
            }
        });
    }

    /**
     * Lines of advice for a JVM whose option values {@code option} gives ({@code Optional.empty()} for an option the
     * JVM does not have): G1 with its adaptive refinement on, on a JDK that still has the switch (17-19), gets one.
     */
    static List<String> advice(Function<String, Optional<String>> option) {
        List<String> lines = new ArrayList<>();
        boolean g1 = option.apply("UseG1GC").map(Boolean::parseBoolean).orElse(false);
        boolean adaptive = option.apply("G1UseAdaptiveConcRefinement").map(Boolean::parseBoolean).orElse(false);
        if (g1 && adaptive) {
            lines.add("JVM: G1 refines its cards adaptively (G1UseAdaptiveConcRefinement), which ran the engine on 128"
                    + " books 25% slower with 350 us tails in most JVMs measured; ./meridian starts it with "
                    + REFINEMENT_OPTIONS + " (config/jvm-options.sh, docs/operations.md \"JVM options\")");
        }
        return lines;
    }
}
