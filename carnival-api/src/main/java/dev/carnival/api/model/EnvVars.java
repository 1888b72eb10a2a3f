package dev.carnival.api.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Rules for the variables a config sets ({@code env}, {@code env-file}). */
public final class EnvVars {
    /** Set by Carnival for every service process; a config may not set them. */
    public static final Set<String> RESERVED = Set.of(
            "CARNIVAL_SERVICE_NAME", "CARNIVAL_REPLICA_ID", "CARNIVAL_REPLICA_COUNT", "CARNIVAL_RESTART_COUNT");

    private EnvVars() {}

    /** Why {@code name} is not a variable name (letters, digits and _, not starting with a digit), or null. */
    public static String invalidName(String name) {
        return isName(name) ? null
                : "invalid variable name '" + name + "' (letters, digits and _, not starting with a digit)";
    }

    // By hand: every start runs this; see the start-up rules in StartupClassesIT (carnival-dist).
    private static boolean isName(String name) {
        if (name.isEmpty() || (name.charAt(0) >= '0' && name.charAt(0) <= '9')) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** Why {@code name} cannot be set by a config, or null when it can. */
    public static String nameProblem(String name) {
        String invalid = invalidName(name);
        if (invalid != null) {
            return invalid;
        }
        if (RESERVED.contains(name)) {
            return name + " is set by Carnival itself and cannot be set in a config";
        }
        return null;
    }

    /** Why {@code value} cannot be in an environment, or null when it can. */
    public static String valueProblem(String name, String value) {
        return value.indexOf('\0') >= 0 ? "the value of " + name + " contains a NUL byte" : null;
    }

    /** An immutable copy of {@code env} in its order, checked; throws naming the first bad entry. */
    static Map<String, String> checked(Map<String, String> env, String owner) {
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String problem = nameProblem(e.getKey());
            if (problem == null) {
                problem = valueProblem(e.getKey(), e.getValue());
            }
            if (problem != null) {
                throw new IllegalArgumentException(owner + ": " + problem);
            }
            copy.put(e.getKey(), e.getValue());
        }
        return java.util.Collections.unmodifiableMap(copy);
    }
}
