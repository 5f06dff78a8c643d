package io.meridian.engine;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmAdviceTest {
    private static List<String> adviceFor(Map<String, String> options) {
        return JvmAdvice.advice(name -> Optional.ofNullable(options.get(name)));
    }

    @Test
    void g1WithAdaptiveRefinementGetsTheLauncherOptions() {
        List<String> lines = adviceFor(Map.of("UseG1GC", "true", "G1UseAdaptiveConcRefinement", "true"));
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("-XX:-G1UseAdaptiveConcRefinement -XX:G1ConcRefinementGreenZone=256"),
                lines.get(0));
    }

    @Test
    void theAdviceNamesTheLaunchersOptions() throws IOException {
        // The launcher's file, from the module's directory (where the build runs its tests): the advice repeats its
        // values, so a change to one without the other fails here.
        String launcher = Files.readString(Path.of("..", "config", "jvm-options.sh"));
        String flat = launcher.replaceAll("\\s+", " ");
        assertTrue(flat.contains("17|18|19) out+=(" + JvmAdvice.REFINEMENT_OPTIONS + ")"), flat);
    }

    @Test
    void fixedRefinementAnotherCollectorOrANewerJdkGetNothing() {
        assertEquals(List.of(), adviceFor(Map.of("UseG1GC", "true", "G1UseAdaptiveConcRefinement", "false")));
        assertEquals(List.of(), adviceFor(Map.of("UseG1GC", "false", "UseParallelGC", "true",
                "G1UseAdaptiveConcRefinement", "true")));
        // JDK 20 and later have no such switch.
        assertEquals(List.of(), adviceFor(Map.of("UseG1GC", "true")));
    }

    @Test
    void thisJvmIsReadFromItsOwnOptions() {
        // Told apart independently of the diagnostic bean: the collector by its beans' names, the switch by the
        // feature release (17-19 have it, on by default) and the options the test JVM was started with.
        boolean g1 = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .anyMatch(gc -> gc.getName().startsWith("G1"));
        int feature = Runtime.version().feature();
        boolean refinementSet = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(arg -> arg.contains("G1UseAdaptiveConcRefinement"));
        boolean expected = g1 && feature >= 17 && feature <= 19 && !refinementSet;
        assertEquals(expected ? 1 : 0, JvmAdvice.forThisJvm().size(), "G1 " + g1 + ", JDK " + feature
                + ", refinement set " + refinementSet);
    }
}
