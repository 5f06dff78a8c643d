package io.meridian.app;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code meridian settlement chain}: a real local chain with the contracts deployed, and its usage errors. */
class SettlementCliTest {

    @Test
    void startsAChainDeploysTheContractsAndPrintsWhereTheyAre() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"settlement", "chain", "--seconds", "1"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8).strip();
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String last = printed.substring(printed.lastIndexOf('\n') + 1);
        assertTrue(last.matches("rpc=http://127\\.0\\.0\\.1:\\d+ chain_id=1337 token=0x[0-9a-fA-F]{40} "
                + "vault=0x[0-9a-fA-F]{40} governor=0x[0-9a-fA-F]{40}"), last);
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, Main.run(new String[] {"settlement"}, sink, errors));
        assertEquals(2, Main.run(new String[] {"settlement", "chain", "--bogus"}, sink, errors));
        assertEquals(2, Main.run(new String[] {"settlement", "chain", "--seconds", "-3"}, sink, errors));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("meridian settlement chain: unknown option '--bogus'"));
    }
}
