package io.meridian.settlement;

import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;

import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A batch cut before any address holds a balance has no balance roots: its commitment carries an empty array of
 * {@code Root} structs, which web3j can only encode when it can name the struct's type from a constructor over ABI
 * types. Without one the processor could never commit that batch, nor any after it (they are committed in order).
 */
class VaultRootEncodingTest {
    @Test
    void anEmptyArrayOfRootsEncodesAsTheNonEmptyOneDoesItsType() {
        VaultContracts.Root root = new VaultContracts.Root(new byte[32], BigInteger.ONE);
        String empty = FunctionEncoder.encode(new Function("commitBatch",
                List.<Type>of(new DynamicArray<>(VaultContracts.Root.class, List.of()), root), List.of()));
        String one = FunctionEncoder.encode(new Function("commitBatch",
                List.<Type>of(new DynamicArray<>(VaultContracts.Root.class, List.of(root)), root), List.of()));
        // The same selector: the same signature, commitBatch((bytes32,uint256)[],(bytes32,uint256)).
        assertEquals(one.substring(0, 10), empty.substring(0, 10));
        assertEquals(Hash.sha3String("commitBatch((bytes32,uint256)[],(bytes32,uint256))").substring(0, 10),
                empty.substring(0, 10));
    }
}
