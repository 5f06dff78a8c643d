package io.meridian.node.codec;

import io.meridian.model.InstrumentSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's instruments as the edge looks them up: by id (REST paths and bodies, WebSocket), by symbol (FIX), with
 * each one's lot step for the fast quantity formatting of order answers. Fixed at start (the config's instruments and
 * option series); immutable, so any I/O thread reads it.
 */
public final class Instruments {
    private final Map<Integer, InstrumentSpec> byId;
    private final Map<String, InstrumentSpec> bySymbol = new HashMap<>();
    private final Map<Integer, Decimals.Step> lotSteps = new HashMap<>();

    /** {@code specs} in the order {@code GET /v1/instruments} lists them. */
    public Instruments(Map<Integer, InstrumentSpec> specs) {
        this.byId = Collections.unmodifiableMap(new LinkedHashMap<>(specs));
        for (InstrumentSpec spec : specs.values()) {
            bySymbol.put(spec.symbol(), spec);
            lotSteps.put(spec.id(), Decimals.Step.of(spec.lotSize()));
        }
    }

    /** The instrument with this id, or null. */
    public InstrumentSpec get(Integer id) {
        return id == null ? null : byId.get(id);
    }

    /** The instrument with this symbol, or null. */
    public InstrumentSpec bySymbol(String symbol) {
        return symbol == null ? null : bySymbol.get(symbol);
    }

    /** Whether an instrument has this id. */
    public boolean contains(Integer id) {
        return id != null && byId.containsKey(id);
    }

    /** The instrument a path segment or query parameter names by id: 400 if it is not a number, 404 if unknown. */
    public InstrumentSpec require(String text) throws RequestException {
        long id = Ids.number(text, "instrument");
        InstrumentSpec spec = id > Integer.MAX_VALUE || id < Integer.MIN_VALUE ? null : byId.get((int) id);
        if (spec == null) {
            throw RequestException.notFound("no instrument " + EdgeDecimals.clip(text));
        }
        return spec;
    }

    /** The lot step of an instrument, for {@link Decimals#append}. */
    public Decimals.Step lotStep(int id) {
        return lotSteps.get(id);
    }

    /** Every instrument, in config order (unmodifiable). */
    public Map<Integer, InstrumentSpec> byId() {
        return byId;
    }

    /** Every instrument, in config order (a fresh list). */
    public List<InstrumentSpec> all() {
        return new ArrayList<>(byId.values());
    }
}
