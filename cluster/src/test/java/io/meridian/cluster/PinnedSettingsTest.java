package io.meridian.cluster;

import io.meridian.engine.EngineConfig;
import io.meridian.journal.EngineSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A member pins the engine settings it started with, and keeps them when a later start offers others. */
class PinnedSettingsTest {
    @TempDir
    Path dir;

    @Test
    void aMemberKeepsTheSettingsItStartedWith() {
        EngineConfig custom = EngineConfig.defaults().withMaxOpenOrdersPerAccount(7);
        Path member = dir.resolve("member-0");
        assertEquals(custom, ClusterNode.pinnedSettings(member, custom));
        assertEquals(custom, EngineSettings.read(member));
        assertEquals(custom, ClusterNode.pinnedSettings(member, EngineConfig.defaults()), "the pinned ones win");
    }
}
