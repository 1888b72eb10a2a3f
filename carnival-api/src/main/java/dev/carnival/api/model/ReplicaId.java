package dev.carnival.api.model;

import java.util.Objects;

/** One replica of a service: {@code web[0]}. */
public record ReplicaId(String service, int index) {
    /** Rejects a null service and a negative index. */
    public ReplicaId {
        Objects.requireNonNull(service, "service");
        if (index < 0) {
            throw new IllegalArgumentException("replica index must be >= 0");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplicaId r && index == r.index && service.equals(r.service);
    }

    @Override
    public int hashCode() {
        return 31 * service.hashCode() + index;
    }

    @Override
    public String toString() {
        return service + "[" + index + "]";
    }
}
