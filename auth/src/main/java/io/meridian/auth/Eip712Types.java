package io.meridian.auth;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A set of EIP-712 struct types and the EIP's hashing of their values: {@code encodeType}, {@code typeHash},
 * {@code encodeData} and {@code hashStruct}.
 *
 * <p>Member types: {@code string}, {@code bytes}, {@code bytes1}..{@code bytes32}, {@code address}, {@code bool},
 * {@code uint8}..{@code uint256} and {@code int8}..{@code int256} in steps of 8, and references to other structs of
 * the set (recursion allowed). Arrays are not supported: no Meridian message needs one, and a type using one is refused
 * when the set is built.
 *
 * <p>Values are maps from member name to a Java value: {@link String} for {@code string}, {@code byte[]} for
 * {@code bytes} and {@code bytesN} (exactly N bytes), {@link Address}, {@link Boolean}, {@link BigInteger} or a
 * {@link Long}/{@link Integer}/{@link Short}/{@link Byte} for integers (range-checked against the type), and a nested
 * map for a struct. A value that does not fit its type, a missing member or an unknown one throws
 * {@link IllegalArgumentException}: values are built by code, so a mismatch is a bug, not client input.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class Eip712Types {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SIZED = Pattern.compile("(u?int|bytes)([0-9]{1,3})");
    private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);

    /** One member of a struct: its Solidity-style type and its name. */
    public record Member(String type, String name) {
        @Override
        public String toString() {
            return type + " " + name;
        }
    }

    private final Map<String, List<Member>> structs;

    private Eip712Types(Map<String, List<Member>> structs) {
        this.structs = structs;
    }

    /** A builder to which structs are added in any order; references are checked by {@link Builder#build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a set of struct types. Not thread-safe; use once. */
    public static final class Builder {
        private final Map<String, List<Member>> structs = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds a struct from member declarations written as in Solidity, e.g. {@code "address wallet"}.
         *
         * @throws IllegalArgumentException for a bad or repeated name or a malformed declaration
         */
        public Builder struct(String name, String... members) {
            if (!IDENTIFIER.matcher(name).matches()) {
                throw new IllegalArgumentException("bad struct name: " + name);
            }
            if (structs.containsKey(name)) {
                throw new IllegalArgumentException("struct defined twice: " + name);
            }
            List<Member> list = new ArrayList<>();
            for (String declaration : members) {
                String[] parts = declaration.trim().split(" ");
                if (parts.length != 2 || !IDENTIFIER.matcher(parts[1]).matches()) {
                    throw new IllegalArgumentException("bad member declaration in " + name + ": " + declaration);
                }
                for (Member existing : list) {
                    if (existing.name().equals(parts[1])) {
                        throw new IllegalArgumentException("member defined twice in " + name + ": " + parts[1]);
                    }
                }
                list.add(new Member(parts[0], parts[1]));
            }
            structs.put(name, Collections.unmodifiableList(list));
            return this;
        }

        /**
         * The immutable set.
         *
         * @throws IllegalArgumentException if a member's type is neither an atomic or dynamic type nor a struct of the
         *                                  set, or is an array
         */
        public Eip712Types build() {
            Map<String, List<Member>> copy = Collections.unmodifiableMap(new LinkedHashMap<>(structs));
            for (Map.Entry<String, List<Member>> struct : copy.entrySet()) {
                for (Member member : struct.getValue()) {
                    if (!isPrimitive(member.type()) && !copy.containsKey(member.type())) {
                        throw new IllegalArgumentException("unknown or unsupported type " + member.type() + " in "
                                + struct.getKey());
                    }
                }
            }
            return new Eip712Types(copy);
        }
    }

    /** The members of {@code struct}, in declaration order. */
    public List<Member> members(String struct) {
        return definition(struct);
    }

    /**
     * {@code encodeType}: the struct as {@code Name(type1 name1,...)}, followed by every struct it references directly
     * or indirectly, each once, sorted by name.
     */
    public String encodeType(String primary) {
        TreeSet<String> deps = new TreeSet<>();
        collectDependencies(primary, deps);
        deps.remove(primary);
        StringBuilder out = new StringBuilder();
        appendType(out, primary);
        for (String dep : deps) {
            appendType(out, dep);
        }
        return out.toString();
    }

    /** {@code typeHash = keccak256(encodeType)}. */
    public byte[] typeHash(String primary) {
        return Keccak.hash(encodeType(primary));
    }

    /**
     * {@code encodeData}: the type hash followed by one 32-byte word per member: atomic values ABI-encoded, dynamic
     * values ({@code string}, {@code bytes}) as the Keccak-256 of their contents, structs as their {@code hashStruct}.
     */
    public byte[] encodeData(String primary, Map<String, ?> value) {
        List<Member> members = definition(primary);
        for (String key : value.keySet()) {
            if (members.stream().noneMatch(m -> m.name().equals(key))) {
                throw new IllegalArgumentException(primary + " has no member " + key);
            }
        }
        byte[] out = new byte[32 * (1 + members.size())];
        System.arraycopy(typeHash(primary), 0, out, 0, 32);
        int offset = 32;
        for (Member member : members) {
            if (!value.containsKey(member.name())) {
                throw new IllegalArgumentException(primary + "." + member.name() + " is missing");
            }
            byte[] word = encodeValue(member.type(), value.get(member.name()), primary + "." + member.name());
            System.arraycopy(word, 0, out, offset, 32);
            offset += 32;
        }
        return out;
    }

    /** {@code hashStruct = keccak256(encodeData)}. */
    public byte[] hashStruct(String primary, Map<String, ?> value) {
        return Keccak.hash(encodeData(primary, value));
    }

    private List<Member> definition(String struct) {
        List<Member> members = structs.get(struct);
        if (members == null) {
            throw new IllegalArgumentException("unknown struct " + struct);
        }
        return members;
    }

    private void collectDependencies(String struct, TreeSet<String> found) {
        if (!found.add(struct)) {
            return;
        }
        for (Member member : definition(struct)) {
            if (structs.containsKey(member.type())) {
                collectDependencies(member.type(), found);
            }
        }
    }

    private void appendType(StringBuilder out, String struct) {
        out.append(struct).append('(');
        List<Member> members = definition(struct);
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(members.get(i));
        }
        out.append(')');
    }

    private byte[] encodeValue(String type, Object value, String path) {
        if (value == null) {
            throw new IllegalArgumentException(path + " is null");
        }
        if (structs.containsKey(type)) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(path + " must be a map for struct " + type);
            }
            Map<String, Object> nested = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(path + " has a non-string member name");
                }
                nested.put(key, e.getValue());
            }
            return hashStruct(type, nested);
        }
        switch (type) {
            case "string":
                return Keccak.hash(cast(value, String.class, path));
            case "bytes":
                return Keccak.hash(cast(value, byte[].class, path));
            case "address":
                return cast(value, Address.class, path).toWord();
            case "bool":
                return Abi.uint(cast(value, Boolean.class, path) ? 1 : 0);
            default:
                return encodeSized(type, value, path);
        }
    }

    private static byte[] encodeSized(String type, Object value, String path) {
        var matcher = SIZED.matcher(type);
        if (!matcher.matches()) {
            throw new IllegalStateException("unchecked type " + type);
        }
        int size = Integer.parseInt(matcher.group(2));
        if (matcher.group(1).equals("bytes")) {
            byte[] bytes = cast(value, byte[].class, path);
            if (bytes.length != size) {
                throw new IllegalArgumentException(path + " must be " + size + " bytes, got " + bytes.length);
            }
            // bytesN is left-aligned in its word, zero-padded on the right.
            return Arrays.copyOf(bytes, 32);
        }
        BigInteger n = toBigInteger(value, path);
        boolean signed = matcher.group(1).equals("int");
        BigInteger min = signed ? BigInteger.ONE.shiftLeft(size - 1).negate() : BigInteger.ZERO;
        BigInteger max = signed ? BigInteger.ONE.shiftLeft(size - 1) : BigInteger.ONE.shiftLeft(size);
        if (n.compareTo(min) < 0 || n.compareTo(max) >= 0) {
            throw new IllegalArgumentException(path + " = " + n + " does not fit " + type);
        }
        // Two's complement over 256 bits, as the ABI sign-extends intN.
        return Abi.word(n.signum() < 0 ? n.add(TWO_256) : n);
    }

    private static BigInteger toBigInteger(Object value, String path) {
        if (value instanceof BigInteger big) {
            return big;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigInteger.valueOf(((Number) value).longValue());
        }
        throw new IllegalArgumentException(path + " must be an integer (BigInteger, Long, Integer, Short or Byte)");
    }

    private static <T> T cast(Object value, Class<T> type, String path) {
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(path + " must be a " + type.getSimpleName() + ", got "
                    + value.getClass().getSimpleName());
        }
        return type.cast(value);
    }

    /** True for the atomic and dynamic types this implementation encodes. */
    static boolean isPrimitive(String type) {
        switch (type) {
            case "string":
            case "bytes":
            case "address":
            case "bool":
                return true;
            default:
                var matcher = SIZED.matcher(type);
                if (!matcher.matches() || matcher.group(2).startsWith("0")) {
                    return false;
                }
                int size = Integer.parseInt(matcher.group(2));
                return matcher.group(1).equals("bytes") ? size >= 1 && size <= 32 : size % 8 == 0 && size >= 8
                        && size <= 256;
        }
    }
}
