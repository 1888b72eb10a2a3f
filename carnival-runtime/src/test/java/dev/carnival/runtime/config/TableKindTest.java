package dev.carnival.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.plugins.toml.TomlConfigSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A table kind with a nested table of its own keys: how a key such as [service.readiness] is declared. */
class TableKindTest {
    record Probe(String command, Duration period) {}

    record Toy(String name, Probe probe) {}

    static final class ProbeDraft {
        String command;
        Duration period = Duration.ofSeconds(1);
    }

    static final class ToyDraft {
        String name;
        Probe probe;
    }

    static final TableKind<ProbeDraft> PROBE = TableKind.of("[toy.probe]", ProbeDraft::new, null,
            Key.required("command", Parsers.nonEmpty(), (d, v) -> d.command = v),
            Key.optional("period-ms", Parsers.millis(), (d, v) -> d.period = v));

    static final TableKind<ToyDraft> TOY = TableKind.of("[[toy]]", ToyDraft::new, d -> d.name,
            Key.required("name", Parsers.name(), (d, v) -> d.name = v),
            Key.optional("probe", Parsers.table(PROBE).map(p -> new Probe(p.command, p.period)), (d, v) -> d.probe = v));

    private final Problems problems = new Problems();
    private final Map<String, Location> locations = new HashMap<>();

    private List<ToyDraft> bind(String toml) throws ConfigException {
        var root = new TomlConfigSource().parse(toml, "t.toml");
        var shared = new Scope.Shared(new Interpolator(Map.of("P", "250")), problems, locations);
        return Parsers.tables(TOY, i -> "[[toy]] #" + (i + 1)).parse(root.entries().get("toy"), new Scope(shared, "toy", "the top level", "toy"));
    }

    @Test
    void aNestedTableIsOneDeclaration() throws ConfigException {
        ToyDraft toy = bind("[[toy]]\nname = \"t\"\n[toy.probe]\ncommand = \"check\"\nperiod_ms = \"${P}\"\n").getFirst();
        problems.throwIfAny();
        assertEquals(new Probe("check", Duration.ofMillis(250)), toy.probe);
        assertEquals(new Location("t.toml", 4, 1), locations.get("toy[0].probe.command"));
    }

    @Test
    void nestedMessagesNameTheirParent() throws ConfigException {
        bind("[[toy]]\nname = \"t\"\n[toy.probe]\nperiod-ms = 1\nperiod_ms = 2\nextra = 1\n");
        List<String> messages = problems.all().stream().map(ConfigException::getMessage).toList();
        assertEquals(List.of(
                "t.toml:3:1: [toy.probe] of [[toy]] 't' has no 'command'",
                "t.toml:5:1: 'period-ms' and 'period_ms' in [toy.probe] of [[toy]] 't' are the same key "
                        + "(kebab-case and snake_case are equivalent)",
                "t.toml:6:1: unknown key 'extra' in [toy.probe] of [[toy]] 't' (known keys: command, period-ms)"), messages);
    }

    @Test
    void aNestedKeyOfTheWrongType() throws ConfigException {
        bind("[[toy]]\nname = \"t\"\nprobe = 3\n");
        assertEquals("t.toml:3:1: 'probe' in [[toy]] 't' must be a table ([toy.probe]), got an integer",
                problems.all().getFirst().getMessage());
    }
}
