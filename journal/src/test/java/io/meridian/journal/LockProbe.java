package io.meridian.journal;

import java.nio.file.Path;

/**
 * A second process for {@link JournalIntegrityTest}: tries to open the journal in {@code args[0]} as its writer and
 * prints {@code OPENED} (then closes it again) or {@code REFUSED <message>}. A writer in another JVM is what the
 * journal's lock must keep out; a second writer inside the test's own JVM would be caught by the process-wide check
 * before the lock file is even opened, so it proves nothing about the OS lock.
 */
public final class LockProbe {
    private LockProbe() {
    }

    public static void main(String[] args) {
        try (JournalWriter writer = JournalWriter.open(Path.of(args[0]), JournalConfig.defaults())) {
            System.out.println("OPENED next sequence " + writer.nextSequence());
        } catch (IllegalStateException e) {
            System.out.println("REFUSED " + e.getMessage());
        }
        System.out.flush();
    }
}
