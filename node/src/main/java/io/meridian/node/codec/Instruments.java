package io.meridian.node.codec;

import io.meridian.model.InstrumentSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's instruments as the edge looks them up: by id or by symbol wherever a request names one (REST paths,
 * query strings and bodies: {@link #require}, {@link #resolve}; FIX by symbol), with
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

    /**
     * The instrument a path segment or query parameter names, by id ({@code 1}) or symbol ({@code BTC-PERP}): 400 when
     * absent, empty or too long, 404 when no instrument has that id or symbol.
     */
    public InstrumentSpec require(String text) throws RequestException {
        InstrumentSpec spec = find(InstrumentRef.of(text, "instrument"));
        if (spec == null) {
            throw RequestException.notFound("no instrument " + EdgeDecimals.clip(text));
        }
        return spec;
    }

    /**
     * The instrument a request body names by id or symbol: 400 naming {@code field} when it is absent or no instrument
     * has that id or symbol (a body's field, unlike a path, is a bad request rather than a missing resource).
     */
    public InstrumentSpec resolve(InstrumentRef ref, String field) throws RequestException {
        if (ref == null) {
            throw RequestException.badField(field + ": required");
        }
        InstrumentSpec spec = find(ref);
        if (spec == null) {
            throw RequestException.badField(field + ": no instrument " + EdgeDecimals.clip(ref.text()));
        }
        return spec;
    }

    /** The instrument a reference names (an id if it is a whole number, else a symbol), or null. */
    public InstrumentSpec find(InstrumentRef ref) {
        if (ref == null) {
            return null;
        }
        if (!ref.isId()) {
            return bySymbol.get(ref.text());
        }
        try {
            return byId.get(Integer.parseInt(ref.text()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The instrument an optional query parameter names ({@link #require}), or every instrument when it is null. */
    public List<InstrumentSpec> onlyOrAll(String text) throws RequestException {
        return text == null ? all() : List.of(require(text));
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
