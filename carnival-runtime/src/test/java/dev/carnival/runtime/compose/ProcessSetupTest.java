package dev.carnival.runtime.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.GlobalConfig;
import dev.carnival.api.model.InitCommand;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.runtime.config.SourceMap;
import dev.carnival.runtime.process.Accounts;
import dev.carnival.runtime.process.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessSetupTest {
    private static final GlobalConfig GLOBAL = new GlobalConfig(Duration.ofSeconds(1), false,
            Map.of("G", "global", "BOTH", "global", "USER", "from-global"));

    @TempDir
    Path dir;
    private Accounts accounts;

    @BeforeEach
    void accounts() throws IOException {
        accounts = new Accounts(Files.writeString(dir.resolve("passwd"), "app:x:1000:1000::/home/app:/bin/sh\n"),
                Files.writeString(dir.resolve("group"), "app:x:1000:\n"));
    }

    @Test
    void precedenceCarnivalThenGlobalThenOwn() throws Exception {
        Environment base = ProcessSetup.base(Map.of("C", "carnival", "G", "carnival", "BOTH", "carnival"), GLOBAL);
        ServiceConfig s = ServiceConfig.builder("s", "true").env(Map.of("BOTH", "own", "O", "own")).build();
        ProcessSetup setup = ProcessSetup.of(base, GLOBAL, s, accounts);
        assertEquals("carnival", setup.environment().get("C"));
        assertEquals("global", setup.environment().get("G"));
        assertEquals("own", setup.environment().get("BOTH"));
        assertEquals("own", setup.environment().get("O"));
        assertNull(setup.credentials());
        assertNull(setup.environment().get("HOME"), "no user: no HOME of its own");
    }

    @Test
    void aUsersHomeUserAndLognameUnlessTheConfigSetsThem() throws Exception {
        assumeTrue(Accounts.effectiveUid().orElse(-1) == 0, "needs root");
        Environment base = ProcessSetup.base(Map.of("HOME", "/root", "USER", "root"), GLOBAL);
        InitCommand init = new InitCommand("true", List.of(), null, Map.of("LOGNAME", "mine"), "app", null);
        ProcessSetup setup = ProcessSetup.of(base, GLOBAL, init, accounts);
        assertEquals("/home/app", setup.environment().get("HOME"));
        assertEquals("from-global", setup.environment().get("USER"), "[global] env sets USER");
        assertEquals("mine", setup.environment().get("LOGNAME"));
        assertEquals(1000, setup.credentials().uid());
    }

    @Test
    void checkReportsEveryUnknownAccountAtItsUserKey() {
        CarnivalConfig config = new CarnivalConfig(GLOBAL,
                List.of(new InitCommand("true", List.of(), null, Map.of(), "ghost", null)),
                List.of(ServiceConfig.builder("s", "true").user("app").group("nope").build()));
        SourceMap sources = new SourceMap("c.toml", Map.of(SourceMap.init(0, "user"), new Location("c.toml", 3, 8),
                SourceMap.service(0, "user"), new Location("c.toml", 9, 8)));
        ConfigException e = assertThrows(ConfigException.class, () -> ProcessSetup.check(config, sources, accounts));
        assertEquals("c.toml:3:8: init command 1: unknown user 'ghost' (not in " + dir.resolve("passwd") + ")", e.getMessage());
        assertEquals("c.toml:9:8: service 's': unknown group 'nope' (not in " + dir.resolve("group") + ")",
                e.getSuppressed()[0].getMessage());
    }
}
