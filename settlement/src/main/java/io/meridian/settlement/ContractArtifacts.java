package io.meridian.settlement;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The compiled contracts: the bytecode the build's solc-js wrote next to these classes
 * ({@code io/meridian/settlement/contracts/NAME.bin}; their ABIs beside them, as {@code .abi}).
 */
public final class ContractArtifacts {
    public static final String VAULT = "MeridianVault";
    public static final String MULTISIG = "MultisigTimelock";
    public static final String TEST_USD = "TestUSD";

    private ContractArtifacts() {
    }

    /** The creation bytecode of {@code contract}, as "0x" hex. */
    public static String bytecode(String contract) {
        return "0x" + read(contract + ".bin").trim();
    }

    /** The ABI of {@code contract}, as JSON. */
    public static String abi(String contract) {
        return read(contract + ".abi");
    }

    private static String read(String name) {
        try (InputStream in = ContractArtifacts.class.getResourceAsStream("contracts/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no compiled contract " + name + ": the settlement module's build "
                        + "compiles them (settlement/contracts/build.sh)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
