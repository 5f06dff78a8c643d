package io.meridian.node;

import io.meridian.model.GovernanceSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The config's {@code governance} and {@code riskController} sections: read with their defaults, and every bad value
 * refused at start with the field named and what is wrong.
 */
class GovernanceConfigTest extends NodeHttpTest {
    /** A dev-mode config's opening: the development domain is accepted. */
    private static final String D = "{\"devMode\":true,";
    private static final String A = "0x1111111111111111111111111111111111111111";
    private static final String B = "0x2222222222222222222222222222222222222222";

    @Test
    void governanceAndTheControllerAreReadWithTheirDefaults() throws Exception {
        NodeConfig none = NodeConfig.parse("{\"devMode\":true}");
        assertNull(none.governance());
        assertNull(none.riskController());
        NodeConfig config = NodeConfig.parse(D + "\"governance\":{\"admins\":[\"" + A + "\",\"" + B.toUpperCase()
                .replace("0X", "0x") + "\"],\"threshold\":2,\"timelockMillis\":3600000},"
                + "\"riskController\":{\"enabled\":true}}");
        GovernanceSpec spec = config.governance().spec();
        assertEquals(List.of(A, B), spec.admins(), "admins in lower case, as journaled");
        assertEquals(2, spec.threshold());
        assertEquals(3_600_000, spec.timelockMillis());
        assertTrue(config.riskController().on());
        assertEquals(600_000, config.riskController().policy().referenceVolatilityPpm());
        assertEquals(50_000, config.riskController().policy().stepPpm());
        assertEquals(60_000, config.riskController().policy().minimumLeadMillis());
        assertEquals(10_000, config.riskController().interval());
        NodeConfig off = NodeConfig.parse(D + "\"riskController\":{\"enabled\":false,\"referenceVolatility\":\"0.8\","
                + "\"step\":\"0.1\",\"minimumLeadMillis\":0,\"intervalMillis\":1000}}");
        assertFalse(off.riskController().on());
        assertEquals(800_000, off.riskController().policy().referenceVolatilityPpm());
        assertEquals(1_000, off.riskController().interval());
    }

    @Test
    void badSectionsAreRefusedWithTheFieldNamed() {
        String two = "\"admins\":[\"" + A + "\",\"" + B + "\"]";
        String[][] cases = {
            {D + "\"governance\":{}}", "governance.admins: 1..16 admin addresses are required"},
            {D + "\"governance\":{\"admins\":[],\"threshold\":1,\"timelockMillis\":0}}", "governance.admins: 1..16"},
            {D + "\"governance\":{\"admins\":[\"0x12\"],\"threshold\":1,\"timelockMillis\":0}}",
                "governance.admins[0]: not an address: '0x12'"},
            {D + "\"governance\":{\"admins\":[\"" + A + "\",\"0x111111111111111111111111111111111111111G\"],"
                + "\"threshold\":1,\"timelockMillis\":0}}", "governance.admins[1]: not an address"},
            {D + "\"governance\":{" + two + ",\"timelockMillis\":0}}", "governance.threshold: required"},
            {D + "\"governance\":{" + two + ",\"threshold\":1}}", "governance.timelockMillis: required"},
            {D + "\"governance\":{" + two + ",\"threshold\":3,\"timelockMillis\":0}}",
                "governance: the threshold must be 1 .. the number of admins"},
            {D + "\"governance\":{" + two + ",\"threshold\":0,\"timelockMillis\":0}}", "the threshold must be"},
            {D + "\"governance\":{\"admins\":[\"" + A + "\",\"" + A.toUpperCase().replace("0X", "0x") + "\"],"
                + "\"threshold\":1,\"timelockMillis\":0}}", "governance: an admin is named twice"},
            {D + "\"governance\":{" + two + ",\"threshold\":1,\"timelockMillis\":2592000001}}",
                "governance: the timelock must be 0 .. 2592000000 ms"},
            {D + "\"governance\":{" + two + ",\"threshold\":1,\"timelockMillis\":0,\"quorum\":1}}",
                "unknown field 'quorum'"},
            {D + "\"riskController\":{\"referenceVolatility\":\"0\"}}",
                "riskController.referenceVolatility: must be a positive decimal"},
            {D + "\"riskController\":{\"referenceVolatility\":\"abc\"}}", "riskController.referenceVolatility: not a decimal"},
            {D + "\"riskController\":{\"step\":\"0.0000001\"}}", "riskController.step: must be a positive decimal of at"
                + " most 6 decimals"},
            {D + "\"riskController\":{\"minimumLeadMillis\":-1}}", "riskController.minimumLeadMillis: must be 0..86400000"},
            {D + "\"riskController\":{\"intervalMillis\":10}}", "riskController.intervalMillis: must be 100..3600000"},
            {D + "\"riskController\":{\"enabled\":\"yes\"}}", "riskController.enabled"},
        };
        assertConfigsRefused(cases);
    }
}
