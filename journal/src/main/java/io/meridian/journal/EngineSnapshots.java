package io.meridian.journal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import com.esotericsoftware.kryo.util.Util;
import io.meridian.engine.Engine;
import io.meridian.matching.BookSnapshots;
import io.meridian.model.EngineEvents;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.objenesis.strategy.StdInstantiatorStrategy;

import java.util.Set;

/**
 * Copies a whole {@link Engine} to bytes and back: the payload of a snapshot file ({@link SnapshotStore}).
 *
 * <p><b>How.</b> Kryo walks the engine's object graph field by field (references on, so shared objects stay shared),
 * with three exceptions: the event listener is not written (the loader supplies the new one, so a snapshot never
 * carries a listener's state or class); Agrona's primitive collections are copied by their fields (their arrays), not
 * through the {@code Map} interface, which would box every entry; and the order book's intrusive lists are written
 * flat by {@link BookSnapshots}, so no part of the walk recurses once per order. Everything the engine holds, caches
 * and pools included, comes back, so a loaded engine continues exactly as the saved one would have; a test checks
 * that the two then apply the same commands to the same state hash.
 *
 * <p><b>Compatibility.</b> The payload is tied to the build that wrote it (it follows the classes' fields). A snapshot
 * that a newer build cannot read is skipped with a message, and the node rebuilds from an older snapshot or from the
 * journal, which is kept whole. That is why snapshots are an optimisation and the journal is the record.
 *
 * <p>Not thread-safe: one instance per thread. The engine must not be applying a command while it is written.
 */
public final class EngineSnapshots {
    /**
     * Types whose instances are each referenced from one place only in what a snapshot writes, so Kryo need not
     * remember them to write back-references: primitive arrays, Agrona's primitive collections, the per-account records
     * and the book's containers (an order's links to its level and account list are not written, see BookSnapshots). Tracking
     * every object costs an identity-map lookup each, which was most of a snapshot's time (millions of small arrays at
     * a million accounts). {@code SnapshotSharingTest} walks real engines and fails if any of these is ever shared.
     */
    static final Set<String> UNSHARED_TYPES = Set.of(
            "org.agrona.collections.Int2IntHashMap", "org.agrona.collections.Long2LongHashMap",
            "org.agrona.collections.LongHashSet", "org.agrona.collections.IntHashSet",
            "io.meridian.risk.MarginEngine$RiskAccount", "io.meridian.matching.AccountOrders",
            "io.meridian.matching.PriceLevel");

    /** Written objects remembered between snapshots without shrinking: a million-account engine needs millions. */
    private static final int REFERENCE_CAPACITY = 1 << 22;

    private final Kryo kryo = new Kryo(new ListenerClassResolver(), new SelectiveReferences());
    private final ListenerSlot listener = new ListenerSlot();

    public EngineSnapshots() {
        kryo.setRegistrationRequired(false);
        kryo.setReferences(true);
        // Generic type tracking is an optimisation for collections of one element type; it gets out of step across
        // writes of this graph (Kryo's generics stack), and the engine's collections are small.
        kryo.setOptimizedGenerics(false);
        // Engine classes have no no-argument constructors; create them without one (their fields are all written).
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        // Anonymous classes inside the engine (its margin venue, the liquidator's callbacks) reach their outer object
        // through a synthetic field, which Kryo skips by default.
        FieldSerializer.FieldSerializerConfig fields = new FieldSerializer.FieldSerializerConfig();
        fields.setIgnoreSyntheticFields(false);
        kryo.setDefaultSerializer(new SerializerFactory.FieldSerializerFactory(fields));
        kryo.register(ListenerPlaceholder.class, listener);
        for (Class<?> type : new Class<?>[] {Long2LongHashMap.class, Long2ObjectHashMap.class, LongHashSet.class,
            Int2IntHashMap.class, Int2ObjectHashMap.class, IntHashSet.class}) {
            kryo.register(type, primitiveCollection(type, fields));
        }
        BookSnapshots.register(kryo);
    }

    /**
     * An Agrona collection copied by its fields (arrays and counters), without its cached views and iterators (a key
     * set, an entry set, a reusable iterator): those are created on first use, so a loaded collection simply makes
     * them again, and copying them would go through the {@code Collection} interface, which they do not support.
     */
    private <T> FieldSerializer<T> primitiveCollection(Class<T> type, FieldSerializer.FieldSerializerConfig fields) {
        FieldSerializer<T> serializer = new FieldSerializer<>(kryo, type, fields);
        for (FieldSerializer.CachedField field : serializer.getFields()) {
            Class<?> fieldType = field.getField().getType();
            if (fieldType.getEnclosingClass() == type) {
                serializer.removeField(field.getName());
            }
        }
        return serializer;
    }

    /** Writes {@code engine} to {@code out}. The engine's listener is left out. */
    public void write(Engine engine, Output out) {
        BookSnapshots.beginWrite(kryo);
        kryo.writeObject(out, engine);
        kryo.reset();
    }

    /** Reads an engine written by {@link #write}, giving it {@code events} as its listener. */
    public Engine read(Input in, EngineEvents events) {
        listener.target = events;
        BookSnapshots.beginRead(kryo);
        try {
            return kryo.readObject(in, Engine.class);
        } finally {
            listener.target = null;
            kryo.reset();
        }
    }

    /** Stands in for whatever listener the engine had, so its class is never named in a snapshot. */
    private static final class ListenerPlaceholder implements EngineEvents {
    }

    /**
     * References for objects that can be shared; none for the {@link #UNSHARED_TYPES}, primitive arrays, and orders
     * (which {@link BookSnapshots} tracks itself, without a hash lookup).
     */
    private static final class SelectiveReferences extends MapReferenceResolver {
        SelectiveReferences() {
            super(REFERENCE_CAPACITY);
        }

        /** The decision per class, computed once: this is asked for every object written. */
        private final ClassValue<Boolean> decisions = new ClassValue<>() {
            @Override
            protected Boolean computeValue(Class<?> type) {
                if (type.isArray() && type.getComponentType().isPrimitive()
                        || type == BookSnapshots.selfReferencedType()) {
                    return false;
                }
                return !UNSHARED_TYPES.contains(type.getName()) && !Util.isWrapperClass(type);
            }
        };

        @Override
        @SuppressWarnings("rawtypes") // Kryo's interface declares a raw Class.
        public boolean useReferences(Class type) {
            return decisions.get(type);
        }
    }

    /** Writes every listener as {@link ListenerPlaceholder}. */
    private static final class ListenerClassResolver extends DefaultClassResolver {
        @Override
        @SuppressWarnings("rawtypes") // Kryo's interface declares a raw Class.
        public Registration writeClass(Output output, Class type) {
            // The engine's own outcome tap is engine state (written by its fields); only the host's listener is not.
            return super.writeClass(output, type != null && EngineEvents.class.isAssignableFrom(type)
                    && !type.getName().equals("io.meridian.engine.OutcomeTap") ? ListenerPlaceholder.class : type);
        }
    }

    /** Writes nothing for a listener; reads back the one the loader supplies. */
    private static final class ListenerSlot extends Serializer<EngineEvents> {
        EngineEvents target;

        @Override
        public void write(Kryo kryo, Output output, EngineEvents object) {
            // The listener is the embedding process's business, not engine state.
        }

        @Override
        public EngineEvents read(Kryo kryo, Input input, Class<? extends EngineEvents> type) {
            if (target == null) {
                throw new IllegalStateException("no listener supplied for the loaded engine");
            }
            return target;
        }
    }
}
