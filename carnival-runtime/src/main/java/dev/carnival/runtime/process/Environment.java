package dev.carnival.runtime.process;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable process environment: a shared immutable base plus a few entries of its own that
 * override the base's.
 *
 * <p>Why not a plain map: every replica's environment is the supervisor's plus four
 * {@code CARNIVAL_*} variables, and each spawn changes one of them. Copying the whole base per
 * replica and per spawn cost 1000 replicas about 3.5 MiB of live heap (90 000 map nodes) and a
 * restart storm a map copy per restart; this shares the base and copies only the extras.
 * {@link SpawnRequest} keeps an instance as it is instead of copying it. For the same reason the
 * base is encoded for execve once, not at every spawn ({@link #encoded()}).
 */
public final class Environment extends AbstractMap<String, String> {
    private static final String[] NONE = {};

    private final Map<String, String> base;
    private final EncodedBase baseEncoded; // shared by every environment made from the same base
    private final String[] keys; // the extras, none of them repeated
    private final String[] values;
    private final int size;
    private Set<Entry<String, String>> entries;

    private Environment(Map<String, String> base, EncodedBase baseEncoded, String[] keys, String[] values) {
        this.base = base;
        this.baseEncoded = baseEncoded;
        this.keys = keys;
        this.values = values;
        int n = base.size();
        for (String k : keys) {
            if (!base.containsKey(k)) {
                n++;
            }
        }
        this.size = n;
    }

    /** The environment {@code base}; copied only when it is not already immutable. */
    public static Environment of(Map<String, String> base) {
        if (base instanceof Environment e) {
            return e;
        }
        return new Environment(Map.copyOf(base), new EncodedBase(), NONE, NONE);
    }

    /** This environment with {@code key} set to {@code value}; the base is shared, not copied. */
    public Environment with(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                String[] v = values.clone();
                v[i] = value;
                return new Environment(base, baseEncoded, keys, v);
            }
        }
        String[] k = Arrays.copyOf(keys, keys.length + 1);
        String[] v = Arrays.copyOf(values, values.length + 1);
        k[keys.length] = key;
        v[values.length] = value;
        return new Environment(base, baseEncoded, k, v);
    }

    /**
     * The entries as {@code KEY=value} in UTF-8, the form execve takes: the extras, then each
     * base entry that no extra overrides, in the order of {@link #entrySet()}. The base's are
     * encoded once for this environment and every one made from it with {@link #with}; so derive
     * environments from one instance rather than calling {@link #of} on the same map again.
     */
    public List<byte[]> encoded() {
        List<byte[]> out = new ArrayList<>(size);
        for (int i = 0; i < keys.length; i++) {
            out.add(entry(keys[i], values[i]));
        }
        Encoded shared = baseEncoded.of(base);
        for (int i = 0; i < shared.keys().length; i++) {
            if (extra(shared.keys()[i]) < 0) {
                out.add(shared.entries()[i]);
            }
        }
        return out;
    }

    private static byte[] entry(String key, String value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        byte[] e = Arrays.copyOf(k, k.length + 1 + v.length);
        e[k.length] = '=';
        System.arraycopy(v, 0, e, k.length + 1, v.length);
        return e;
    }

    private record Encoded(String[] keys, byte[][] entries) {}

    /** One base's encoding, made on first use; racing threads at worst both make it. */
    private static final class EncodedBase {
        private volatile Encoded value;

        Encoded of(Map<String, String> base) {
            Encoded e = value;
            if (e == null) {
                String[] keys = new String[base.size()];
                byte[][] entries = new byte[base.size()][];
                int i = 0;
                for (Entry<String, String> entry : base.entrySet()) {
                    keys[i] = entry.getKey();
                    entries[i++] = entry(entry.getKey(), entry.getValue());
                }
                e = new Encoded(keys, entries);
                value = e;
            }
            return e;
        }
    }

    private int extra(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String get(Object key) {
        int i = extra(key);
        return i >= 0 ? values[i] : base.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return extra(key) >= 0 || base.containsKey(key);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        Set<Entry<String, String>> e = entries;
        if (e == null) {
            e = new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, String>> iterator() {
                    return new Entries();
                }

                @Override
                public int size() {
                    return size;
                }
            };
            entries = e;
        }
        return e;
    }

    /** The extras, then each base entry that no extra overrides. */
    private final class Entries implements Iterator<Entry<String, String>> {
        private int extra;
        private final Iterator<Entry<String, String>> rest = base.entrySet().iterator();
        private Entry<String, String> next = advance();

        private Entry<String, String> advance() {
            if (extra < keys.length) {
                int i = extra++;
                return new SimpleImmutableEntry<>(keys[i], values[i]);
            }
            while (rest.hasNext()) {
                Entry<String, String> e = rest.next();
                if (extra(e.getKey()) < 0) {
                    return e;
                }
            }
            return null;
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Entry<String, String> next() {
            Entry<String, String> e = next;
            if (e == null) {
                throw new NoSuchElementException();
            }
            next = advance();
            return e;
        }
    }
}
