package io.meridian.auth;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link SignedCommands#verify} never throws: a command's junk is a clean reject. */
class SignedCommandsTest {

    @Test
    void anAgentActionWithAShortAddressIsMalformedNotAnException() {
        for (CommandType type : new CommandType[] {CommandType.APPROVE_AGENT, CommandType.REVOKE_AGENT}) {
            Command c = new Command();
            c.type = type;
            c.agentKey = Fixtures.AGENT.publicKey().toBytes();
            c.agentName = "bot";
            c.validUntil = 2;
            c.nonce = 1;
            SignedCommands.signAsOwner(c, Fixtures.DOMAIN, Fixtures.OWNER);
            c.address = new byte[19];
            Verdict verdict = SignedCommands.verify(Fixtures.DOMAIN, c);
            assertEquals(AuthReject.MALFORMED, verdict.reason(), type + ": " + verdict);
        }
    }
}
