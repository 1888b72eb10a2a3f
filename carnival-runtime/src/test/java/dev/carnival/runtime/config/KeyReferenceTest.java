package dev.carnival.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.restart.PolicyOptions;
import dev.carnival.api.restart.RestartPolicyProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md names every key the binder knows, once, under its table, and no other.
 * A table section is a {@code ## } heading naming one or more tables in backticks
 * ({@code ## `[service.readiness]` and `[service.liveness]`}); each of its keys is a
 * {@code ### `key`} heading. A heading of either level without a table or key ends the section.
 */
class KeyReferenceTest {
    private static final Path REFERENCE = Path.of("").toAbsolutePath().getParent().resolve("docs/configuration.md");
    private static final Pattern TABLE = Pattern.compile("`(\\[\\[?[a-z0-9.-]+]]?)`");
    private static final Pattern KEY = Pattern.compile("### `([a-z0-9-]+)`");

    /** The sections of a reference: table heading to its key entries, in order. */
    record Reference(Map<String, List<String>> tables, List<String> problems) {

        static Reference parse(String markdown) {
            Map<String, List<String>> tables = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            List<String> current = List.of();
            boolean fenced = false;
            int number = 0;
            for (String line : markdown.split("\n", -1)) {
                number++;
                if (line.startsWith("```")) {
                    fenced = !fenced;
                } else if (!fenced && line.startsWith("### ")) {
                    Matcher key = KEY.matcher(line.strip());
                    if (!current.isEmpty() && !key.matches()) {
                        problems.add("line " + number + ": a heading in " + String.join(" and ", current) + " that is not a key entry: " + line);
                    } else if (key.matches() && current.isEmpty()) {
                        problems.add("line " + number + ": key " + key.group(1) + " is under no table");
                    } else if (key.matches()) {
                        for (String table : current) {
                            List<String> keys = tables.get(table);
                            if (keys.contains(key.group(1))) {
                                problems.add("line " + number + ": " + table + " " + key.group(1) + " is listed twice");
                            }
                            keys.add(key.group(1));
                        }
                    }
                } else if (!fenced && line.startsWith("#")) {
                    List<String> named = new ArrayList<>();
                    Matcher table = TABLE.matcher(line);
                    while (line.startsWith("## ") && table.find()) {
                        named.add(table.group(1));
                    }
                    for (String t : named) {
                        if (tables.putIfAbsent(t, new ArrayList<>()) != null) {
                            problems.add("line " + number + ": " + t + " has two sections");
                        }
                    }
                    current = named;
                }
            }
            return new Reference(tables, problems);
        }

        /** What differs from the binder's keys: missing, unknown, misplaced. */
        List<String> check(List<KeyReference> binder) {
            List<String> out = new ArrayList<>(problems);
            Set<String> known = new LinkedHashSet<>();
            for (KeyReference ref : binder) {
                known.add(ref.heading());
                List<String> documented = tables.get(ref.heading());
                if (ref.shape() == TableValue.Shape.OPTIONS) {
                    continue; // a plugin's options: checked against the plugins, where there are built-in ones
                }
                if (documented == null) {
                    out.add(ref.heading() + " has no section");
                    continue;
                }
                for (String key : ref.keys()) {
                    if (!documented.contains(key)) {
                        out.add(ref.heading() + " " + key + " is not documented");
                    }
                }
                for (String key : documented) {
                    if (!ref.keys().contains(key)) {
                        out.add(ref.heading() + " " + key + " is documented but the binder does not know it");
                    }
                }
            }
            for (String heading : tables.keySet()) {
                if (!known.contains(heading)) {
                    out.add(heading + " is documented but the binder has no such table");
                }
            }
            return out;
        }
    }

    @Test
    void theReferenceListsEveryKeyTheBinderKnowsAndNoOther() throws IOException {
        assertTrue(Files.isRegularFile(REFERENCE), "no configuration reference at " + REFERENCE);
        Reference reference = Reference.parse(Files.readString(REFERENCE));
        assertEquals(List.of(), reference.check(KeyReference.all()), REFERENCE.toString());
    }

    @Test
    void theRestartOptionsDocumentedAreTheBuiltInPoliciesOptions() throws IOException {
        Reference reference = Reference.parse(Files.readString(REFERENCE));
        List<String> documented = reference.tables().getOrDefault("[service.restart-options]", List.of());
        assertTrue(!documented.isEmpty(), "[service.restart-options] documents no option of the built-in policies");
        Map<String, String> values = new LinkedHashMap<>();
        documented.forEach(o -> values.put(o, "1"));
        Set<String> unread = new TreeSet<>(documented);
        int providers = 0;
        for (RestartPolicyProvider provider : ServiceLoader.load(RestartPolicyProvider.class)) {
            PolicyOptions options = new PolicyOptions(values, new Location("test", 1, 1));
            try {
                provider.create(options);
            } catch (ConfigException e) {
                throw new AssertionError(provider.name() + " refuses the documented options set to 1: " + e.getMessage(), e);
            }
            unread.retainAll(options.unread());
            providers++;
        }
        assertTrue(providers >= 3, "the built-in policies are on the test class path");
        assertEquals(Set.of(), unread, "documented restart options that no built-in policy reads");
    }

    @Test
    void theWalkFindsNestedTablesAndPluginOptionsFromTheDeclarationsAlone() {
        Map<String, KeyReference> byHeading = new LinkedHashMap<>();
        KeyReference.all().forEach(r -> byHeading.put(r.heading(), r));
        assertTrue(byHeading.keySet().containsAll(List.of("[global]", "[[init]]", "[[service]]",
                "[service.restart-options]", "[service.readiness]", "[service.liveness]", "[service.readiness.options]")),
                byHeading.keySet().toString());
        assertEquals(TableValue.Shape.ARRAY, byHeading.get("[[service]]").shape());
        assertEquals(TableValue.Shape.OPTIONS, byHeading.get("[service.restart-options]").shape());
        assertTrue(byHeading.get("[service.liveness]").keys().contains("failure-threshold"));
        assertTrue(byHeading.get("[[service]]").keys().contains("restart-delay-ms"));
    }

    private static KeyReference table(String heading, String... keys) {
        return new KeyReference(heading, heading.startsWith("[[") ? TableValue.Shape.ARRAY : TableValue.Shape.TABLE,
                List.of(keys));
    }

    @Test
    void aKeyMissingFromTheReferenceAndOneTheBinderDoesNotKnowAreReported() {
        Reference reference = Reference.parse("## `[global]`\n### `shutdown-timeout-ms`\n### `shutdown-timeout`\n");
        assertEquals(List.of("[global] output is not documented",
                        "[global] shutdown-timeout is documented but the binder does not know it"),
                reference.check(List.of(table("[global]", "shutdown-timeout-ms", "output"))));
    }

    @Test
    void aKeyListedTwiceAMissingSectionAndAnUnknownTableAreReported() {
        Reference reference = Reference.parse("## `[global]`\n### `output`\n### `output`\n## `[[job]]`\n");
        assertEquals(List.of("line 3: [global] output is listed twice", "[[service]] has no section",
                        "[[job]] is documented but the binder has no such table"),
                reference.check(List.of(table("[global]", "output"), table("[[service]]", "name"))));
    }

    @Test
    void codeFencesAndTopicsAreNotEntriesAndOneSectionMayServeTwoTables() {
        Reference reference = Reference.parse("""
                # Reference
                ## `[global]`
                ### `shutdown-timeout-ms`
                ```toml
                ### `not-a-key-in-a-fence`
                ```
                ## `[service.readiness]` and `[service.liveness]`
                ### `period-ms`
                ## Topics
                ### Anything
                """);
        assertEquals(List.of(), reference.check(List.of(table("[global]", "shutdown-timeout-ms"),
                table("[service.readiness]", "period-ms"), table("[service.liveness]", "period-ms"))));
        assertEquals(List.of("line 3: a heading in [[init]] that is not a key entry: ### Notes"),
                Reference.parse("## `[[init]]`\n### `command`\n### Notes\n").check(List.of(table("[[init]]", "command"))));
    }
}
