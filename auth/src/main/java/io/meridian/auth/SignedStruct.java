package io.meridian.auth;

import io.meridian.model.Command;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * One of Meridian's EIP-712 structs, described once: its name and its members in order, each with its Solidity type,
 * how to read it from the record that carries the struct and, for the struct of an engine command, which field of the
 * {@link Command} it is signed from. Everything else is produced from that table, so no field list is written twice:
 * the type string and typeHash (and through them {@link MeridianTypes#TYPES}), the message map
 * ({@link TypedMessage#message()}, which {@link TypedDataJson} prints), the {@code hashStruct} (streamed word by word
 * through {@link StructHasher}, without the map), the {@code uint8} range checks of {@link TypedMessage#validate()}, and
 * the record built from a command ({@link SignedCommands#messageOf}).
 *
 * <p>The record's components must be the struct's members: the same names in the same order, with the Java type each
 * Solidity type is read from ({@link Kind}). {@link Builder#build()} checks it, so the record declaration and the table
 * cannot drift apart, and a record is built from a command through its canonical constructor with the members' values
 * in table order.
 *
 * <p>Integer conventions (docs/auth.md): a {@code uint64} carries a {@code long}'s 64 bits read unsigned, a
 * {@code uint32} an {@code int}'s 32 bits read unsigned; a {@code uint8} is an {@code int} that must be in [0, 255].
 * Immutable and thread-safe once built.
 *
 * @param <R> the record that carries the struct
 */
final class SignedStruct<R> {

    /** The Solidity types Meridian's structs use, each with the Java type of the record component it is read from. */
    enum Kind {
        ADDRESS("address", Address.class),
        BOOL("bool", boolean.class),
        UINT8("uint8", int.class),
        UINT32("uint32", int.class),
        UINT64("uint64", long.class),
        /** An Ed25519 agent key, signed as its 32 bytes. */
        AGENT_KEY("bytes32", AgentKey.class),
        BYTES32("bytes32", byte[].class),
        STRING("string", String.class);

        private final String solidity;
        private final Class<?> javaType;

        Kind(String solidity, Class<?> javaType) {
            this.solidity = solidity;
            this.javaType = javaType;
        }
    }

    /**
     * One member. Integers and bools are read through {@code word} as the value of their 32-byte word (a {@code uint8}
     * as the int itself, so that {@link #validate} sees an out-of-range value), the others through {@code object}.
     * {@code fromCommand} gives the record component's value from a command, boxed; null when the struct is not made
     * from commands.
     */
    private record Member<R>(String name, Kind kind, ToLongFunction<R> word, Function<R, ?> object,
                             Function<Command, ?> fromCommand) {

        void hash(R record, StructHasher hasher) {
            switch (kind) {
                case ADDRESS -> hasher.putAddress((Address) object.apply(record));
                case AGENT_KEY -> hasher.put(((AgentKey) object.apply(record)).toBytes());
                case BYTES32 -> hasher.put((byte[]) object.apply(record));
                case STRING -> hasher.putString((String) object.apply(record));
                default -> hasher.putUint(word.applyAsLong(record));
            }
        }

        /** The value as {@link Eip712Types} takes it and {@link TypedDataJson} prints it. */
        Object messageValue(R record) {
            return switch (kind) {
                case ADDRESS, STRING -> object.apply(record);
                case AGENT_KEY -> ((AgentKey) object.apply(record)).toBytes();
                case BYTES32 -> ((byte[]) object.apply(record)).clone();
                case BOOL -> word.applyAsLong(record) != 0;
                case UINT8 -> (int) word.applyAsLong(record);
                case UINT32 -> BigInteger.valueOf(word.applyAsLong(record));
                case UINT64 -> MeridianTypes.u64(word.applyAsLong(record));
            };
        }
    }

    private final String name;
    private final List<Member<R>> members;
    private final Function<R, Verdict> check;
    private final String typeString;
    private final byte[] typeHash;
    /** The record's canonical constructor; null when the struct is not made from commands. */
    private final Constructor<R> constructor;

    private SignedStruct(String name, List<Member<R>> members, Function<R, Verdict> check, Constructor<R> constructor) {
        this.name = name;
        this.members = members;
        this.check = check;
        this.constructor = constructor;
        StringBuilder type = new StringBuilder(name).append('(');
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                type.append(',');
            }
            type.append(members.get(i).kind().solidity).append(' ').append(members.get(i).name());
        }
        this.typeString = type.append(')').toString();
        this.typeHash = Keccak.hash(typeString);
    }

    /** A table for the struct {@code name} carried by the record class {@code type}; members are added in order. */
    static <R> Builder<R> builder(String name, Class<R> type) {
        return new Builder<>(name, type);
    }

    /** The EIP-712 struct name, e.g. {@code Order}: the message's primary type. */
    String name() {
        return name;
    }

    /** {@code encodeType}, e.g. {@code Cancel(address account,uint32 instrument,...)}: no Meridian struct nests another. */
    String typeString() {
        return typeString;
    }

    /** {@code keccak256(typeString)}. */
    byte[] typeHash() {
        return typeHash.clone();
    }

    /** The member declarations as Solidity writes them, e.g. {@code "address account"}, for {@link Eip712Types}. */
    String[] declarations() {
        String[] out = new String[members.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = members.get(i).kind().solidity + " " + members.get(i).name();
        }
        return out;
    }

    /**
     * Ok, or MALFORMED naming the first {@code uint8} member outside [0, 255], or the record's own check's verdict
     * (e.g. an agent name's length).
     */
    Verdict validate(R record) {
        for (Member<R> member : members) {
            if (member.kind() == Kind.UINT8) {
                long value = member.word().applyAsLong(record);
                if (value < 0 || value > 255) {
                    return Verdict.reject(AuthReject.MALFORMED, name + "." + member.name() + " must be in [0, 255], got "
                            + value);
                }
            }
        }
        return check == null ? Verdict.ok() : check.apply(record);
    }

    /** The members' values by name, in struct order. */
    Map<String, Object> message(R record) {
        Map<String, Object> message = new LinkedHashMap<>(2 * members.size());
        for (Member<R> member : members) {
            message.put(member.name(), member.messageValue(record));
        }
        return message;
    }

    /**
     * {@code hashStruct}: the typeHash and one word per member, streamed into Keccak-256.
     *
     * @throws IllegalArgumentException if {@link #validate} rejects the record: hashing one is a bug
     */
    byte[] structHash(R record) {
        Verdict verdict = validate(record);
        if (!verdict.isOk()) {
            throw new IllegalArgumentException(verdict.message());
        }
        StructHasher hasher = new StructHasher(typeHash);
        for (Member<R> member : members) {
            member.hash(record, hasher);
        }
        return hasher.finish();
    }

    /**
     * The record a command stands for: each member read from the command as the table says.
     *
     * @throws IllegalArgumentException if the command lacks a field the struct needs (the message names it)
     * @throws IllegalStateException    if this struct is not made from commands
     */
    R fromCommand(Command c) {
        if (constructor == null) {
            throw new IllegalStateException(name + " is not made from a command");
        }
        Object[] values = new Object[members.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = members.get(i).fromCommand().apply(c);
        }
        try {
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException thrown) {
                throw thrown;
            }
            throw new IllegalStateException(name + ": the record's constructor failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(name + ": the record's constructor cannot be called", e);
        }
    }

    @Override
    public String toString() {
        return typeString;
    }

    /** Adds members in struct order, each with its record accessor and (for command structs) its command field. */
    static final class Builder<R> {
        private final String name;
        private final Class<R> type;
        private final List<Member<R>> members = new ArrayList<>();
        private Function<R, Verdict> check;

        private Builder(String name, Class<R> type) {
            this.name = Objects.requireNonNull(name, "name");
            this.type = Objects.requireNonNull(type, "type");
        }

        Builder<R> address(String member, Function<R, Address> get, Function<Command, Address> command) {
            return add(member, Kind.ADDRESS, null, get, command);
        }

        Builder<R> bool(String member, Predicate<R> get, Predicate<Command> command) {
            return add(member, Kind.BOOL, r -> get.test(r) ? 1 : 0, null, command::test);
        }

        Builder<R> uint8(String member, ToIntFunction<R> get, ToIntFunction<Command> command) {
            return add(member, Kind.UINT8, get::applyAsInt, null, command::applyAsInt);
        }

        Builder<R> uint32(String member, ToIntFunction<R> get) {
            return add(member, Kind.UINT32, r -> Integer.toUnsignedLong(get.applyAsInt(r)), null, null);
        }

        Builder<R> uint32(String member, ToIntFunction<R> get, ToIntFunction<Command> command) {
            return add(member, Kind.UINT32, r -> Integer.toUnsignedLong(get.applyAsInt(r)), null, command::applyAsInt);
        }

        Builder<R> uint64(String member, ToLongFunction<R> get) {
            return add(member, Kind.UINT64, get, null, null);
        }

        Builder<R> uint64(String member, ToLongFunction<R> get, ToLongFunction<Command> command) {
            return add(member, Kind.UINT64, get, null, command::applyAsLong);
        }

        Builder<R> agentKey(String member, Function<R, AgentKey> get, Function<Command, AgentKey> command) {
            return add(member, Kind.AGENT_KEY, null, get, command);
        }

        /** A {@code bytes32} member: the accessor must give exactly 32 bytes. */
        Builder<R> bytes32(String member, Function<R, byte[]> get) {
            return add(member, Kind.BYTES32, null, get, null);
        }

        Builder<R> string(String member, Function<R, String> get, Function<Command, String> command) {
            return add(member, Kind.STRING, null, get, command);
        }

        /** A check of the whole record beyond the members' types, run by {@link SignedStruct#validate} after them. */
        Builder<R> check(Function<R, Verdict> recordCheck) {
            this.check = recordCheck;
            return this;
        }

        private Builder<R> add(String member, Kind kind, ToLongFunction<R> word, Function<R, ?> object,
                               Function<Command, ?> command) {
            members.add(new Member<>(member, kind, word, object, command));
            return this;
        }

        /**
         * The table.
         *
         * @throws IllegalStateException if the record's components are not the members (names, order, Java types), or
         *                               only some members say how to read them from a command
         */
        SignedStruct<R> build() {
            RecordComponent[] components = type.getRecordComponents();
            if (components == null || components.length != members.size()) {
                throw new IllegalStateException(name + ": " + type.getSimpleName() + " must be a record whose components"
                        + " are the struct's " + members.size() + " members");
            }
            Class<?>[] types = new Class<?>[components.length];
            int fromCommands = 0;
            for (int i = 0; i < components.length; i++) {
                Member<R> member = members.get(i);
                types[i] = components[i].getType();
                if (!components[i].getName().equals(member.name()) || types[i] != member.kind().javaType) {
                    throw new IllegalStateException(name + ": member " + i + " is " + member.kind().javaType.getSimpleName()
                            + " " + member.name() + " but " + type.getSimpleName() + " has " + types[i].getSimpleName() + " "
                            + components[i].getName());
                }
                fromCommands += member.fromCommand() == null ? 0 : 1;
            }
            if (fromCommands != 0 && fromCommands != members.size()) {
                throw new IllegalStateException(name + ": either every member or none says which command field it is");
            }
            Constructor<R> constructor = null;
            if (fromCommands != 0) {
                try {
                    constructor = type.getDeclaredConstructor(types);
                } catch (NoSuchMethodException e) {
                    throw new IllegalStateException(name + ": no canonical constructor", e);
                }
            }
            return new SignedStruct<>(name, Collections.unmodifiableList(new ArrayList<>(members)), check, constructor);
        }
    }
}
