package io.meridian.auth;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The EIP-712 domain: which application, version, chain and contract a signature is meant for, so a signature made for
 * one never verifies for another. Every field is optional; the {@code EIP712Domain} struct holds exactly the fields that
 * are set, in the EIP's canonical order {@code name, version, chainId, verifyingContract, salt}.
 *
 * <p>Immutable and thread-safe; the separator is computed once.
 */
public final class Eip712Domain {

    private final String name;
    private final String version;
    private final BigInteger chainId;
    private final Address verifyingContract;
    private final byte[] salt;
    private final Eip712Types types;
    private final byte[] separator;

    private Eip712Domain(String name, String version, BigInteger chainId, Address verifyingContract, byte[] salt) {
        if (chainId != null && (chainId.signum() < 0 || chainId.bitLength() > 256)) {
            throw new IllegalArgumentException("chainId must fit uint256: " + chainId);
        }
        if (salt != null && salt.length != 32) {
            throw new IllegalArgumentException("salt must be 32 bytes");
        }
        this.name = name;
        this.version = version;
        this.chainId = chainId;
        this.verifyingContract = verifyingContract;
        this.salt = salt == null ? null : salt.clone();
        List<String> members = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        if (name != null) {
            members.add("string name");
            values.put("name", name);
        }
        if (version != null) {
            members.add("string version");
            values.put("version", version);
        }
        if (chainId != null) {
            members.add("uint256 chainId");
            values.put("chainId", chainId);
        }
        if (verifyingContract != null) {
            members.add("address verifyingContract");
            values.put("verifyingContract", verifyingContract);
        }
        if (salt != null) {
            members.add("bytes32 salt");
            values.put("salt", this.salt);
        }
        this.types = Eip712Types.builder().struct("EIP712Domain", members.toArray(new String[0])).build();
        this.separator = types.hashStruct("EIP712Domain", values);
    }

    /** The usual four-field domain: name, version, chain id and verifying contract. */
    public static Eip712Domain of(String name, String version, long chainId, Address verifyingContract) {
        return new Eip712Domain(Objects.requireNonNull(name), Objects.requireNonNull(version),
                BigInteger.valueOf(chainId), Objects.requireNonNull(verifyingContract), null);
    }

    /** A builder for domains with any subset of the five fields. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the fields that are set; unset fields stay out of the domain struct. Not thread-safe. */
    public static final class Builder {
        private String name;
        private String version;
        private BigInteger chainId;
        private Address verifyingContract;
        private byte[] salt;

        private Builder() {
        }

        public Builder name(String value) {
            this.name = value;
            return this;
        }

        public Builder version(String value) {
            this.version = value;
            return this;
        }

        public Builder chainId(BigInteger value) {
            this.chainId = value;
            return this;
        }

        public Builder verifyingContract(Address value) {
            this.verifyingContract = value;
            return this;
        }

        public Builder salt(byte[] value) {
            this.salt = value;
            return this;
        }

        /**
         * The domain.
         *
         * @throws IllegalArgumentException if the chain id does not fit uint256 or the salt is not 32 bytes
         */
        public Eip712Domain build() {
            return new Eip712Domain(name, version, chainId, verifyingContract, salt);
        }
    }

    /** The domain's {@code encodeType}, e.g. {@code EIP712Domain(string name,string version,uint256 chainId,...)}. */
    public String encodeType() {
        return types.encodeType("EIP712Domain");
    }

    /** The members present, in canonical order (for the {@code types.EIP712Domain} list of a wallet request). */
    public List<Eip712Types.Member> members() {
        return types.members("EIP712Domain");
    }

    /** {@code domainSeparator = hashStruct(eip712Domain)} (a copy). */
    public byte[] separator() {
        return separator.clone();
    }

    /** {@code keccak256(0x19 0x01 || domainSeparator || structHash)}: the digest that is signed. */
    public byte[] digest(byte[] structHash) {
        if (structHash.length != 32) {
            throw new IllegalArgumentException("a struct hash is 32 bytes");
        }
        return Keccak.hash(new byte[] {0x19, 0x01}, separator, structHash);
    }

    /** The name, or null when absent. */
    public String name() {
        return name;
    }

    /** The version, or null when absent. */
    public String version() {
        return version;
    }

    /** The chain id, or null when absent. */
    public BigInteger chainId() {
        return chainId;
    }

    /** The verifying contract, or null when absent. */
    public Address verifyingContract() {
        return verifyingContract;
    }

    /** A copy of the salt, or null when absent. */
    public byte[] salt() {
        return salt == null ? null : salt.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Eip712Domain other && Arrays.equals(separator, other.separator);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(separator);
    }

    @Override
    public String toString() {
        return "Eip712Domain{name=" + name + ", version=" + version + ", chainId=" + chainId + ", verifyingContract="
                + verifyingContract + (salt == null ? "" : ", salt=" + Hex.encode0x(salt)) + "}";
    }
}
