package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** env and env-file at every level, through the real command: precedence, syntax, errors, check. */
@Tag(ImageHarness.JDK_FALLBACK)
class EnvironmentIT {
    /** The env file of every syntax case and what it binds to, shared with the runtime's EnvFileTest. */
    static final Path EVERY_CASE = Path.of(System.getProperty("carnival.dist.dir", "."))
            .resolve("../carnival-runtime/src/test/resources/env").toAbsolutePath().normalize();

    /** Carnival's own environment in these tests: every level's variable starts here. */
    private static final Map<String, String> CARNIVAL_ENV = Map.of(
            "L0", "carnival", "L1", "carnival", "L2", "carnival", "L3", "carnival", "L4", "carnival",
            "HOST_VAR", "from-host");

    @TempDir
    Path dir;

    private static final String PRECEDENCE_TOML = """
            [global]
            env-file = "global.env"
            env = { L2 = "genv", L3 = "genv", L4 = "genv", FROM_HOST = "${HOST_VAR}+g" }

            [[init]]
            command = "sh"
            args = ["-c", "env -0 > init.env0"]
            env-file = ["first.env", "own.env"]
            env = { L4 = "ienv" }

            [[service]]
            name = "svc"
            command = "sh"
            args = ["-c", "env -0 > service.env0"]
            env-file = ["first.env", "own.env"]
            env = { L4 = "senv", NUMBER = 7, FLAG = true }
            """;

    private static final String PRECEDENCE_YAML = """
            global:
              env-file: global.env
              env: { L2: genv, L3: genv, L4: genv, FROM_HOST: "${HOST_VAR}+g" }
            init:
              - command: sh
                args: [-c, "env -0 > init.env0"]
                env-file: [first.env, own.env]
                env: { L4: ienv }
            service:
              - name: svc
                command: sh
                args: [-c, "env -0 > service.env0"]
                env-file: [first.env, own.env]
                env: { L4: senv, NUMBER: 7, FLAG: true }
            """;

    /** The config in conf/ with its env files beside it, Carnival started in the directory above with -c conf/c.EXT. */
    @ParameterizedTest
    @ValueSource(strings = {"toml", "yaml"})
    void precedenceLowestFirstCarnivalGlobalFileGlobalEnvOwnFilesOwnEnvThenCarnivalsFour(String format) throws IOException {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Configs.write(conf, "global.env", "L1=gfile\nL2=gfile\nL3=gfile\nL4=gfile\n");
        Configs.write(conf, "first.env", "L3=first\nL4=first\nONLY_FIRST=1\n");
        Configs.write(conf, "own.env", "L3=sfile\nL4=sfile\n");
        Configs.write(conf, "c." + format, format.equals("toml") ? PRECEDENCE_TOML : PRECEDENCE_YAML);
        try (CarnivalProcess c = CarnivalProcess.start(dir, CARNIVAL_ENV, "-c", "conf/c." + format)) {
            assertEquals(0, c.exitCode(), c.stderr());
        }
        Map<String, String> expected = Map.of("L0", "carnival", "L1", "gfile", "L2", "genv", "L3", "sfile",
                "FROM_HOST", "from-host+g", "ONLY_FIRST", "1");
        Map<String, String> init = env0(dir.resolve("init.env0"));
        Map<String, String> service = env0(dir.resolve("service.env0"));
        expected.forEach((k, v) -> assertEquals(v, init.get(k), "init " + k));
        expected.forEach((k, v) -> assertEquals(v, service.get(k), "service " + k));
        assertEquals("ienv", init.get("L4"));
        assertEquals("senv", service.get("L4"));
        assertEquals("7", service.get("NUMBER"));
        assertEquals("true", service.get("FLAG"));
        assertEquals("svc", service.get("CARNIVAL_SERVICE_NAME"));
        assertEquals("0", service.get("CARNIVAL_REPLICA_ID"));
        assertEquals("1", service.get("CARNIVAL_REPLICA_COUNT"));
        assertEquals("0", service.get("CARNIVAL_RESTART_COUNT"));
        assertFalse(init.containsKey("NUMBER"), "a service's variables are its own");
    }

    /** Every syntax case of an env file reaches the service exactly as EnvFileTest expects. */
    @Test
    void everySyntaxCaseReachesTheProcess() throws IOException {
        Files.copy(EVERY_CASE.resolve("every-case.env"), dir.resolve("every-case.env"));
        try (CarnivalProcess c = CarnivalProcess.start(dir, CARNIVAL_ENV, CarnivalProcess.withConfig(dir, """
                [[service]]
                name = "s"
                command = "sh"
                args = ["-c", "env -0 > out.env0"]
                env-file = "every-case.env"
                """))) {
            assertEquals(0, c.exitCode(), c.stderr());
        }
        Map<String, String> actual = env0(dir.resolve("out.env0"));
        Properties expected = new Properties();
        try (Reader in = Files.newBufferedReader(EVERY_CASE.resolve("every-case.expected"))) {
            expected.load(in);
        }
        assertEquals(36, expected.size());
        expected.forEach((k, v) -> assertEquals(v, actual.get(k), k.toString()));
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("missing env-file", "env-file = \"nope.env\"\n", "", "c.toml:4:1: env-file 'nope.env' not found"),
                Arguments.of("env-file is a directory", "env-file = \"adir\"\n", "", "c.toml:4:1: env-file 'adir' is a directory"),
                Arguments.of("line that is not KEY=VALUE", "env-file = \"bad.env\"\n", "A=1\noops\n",
                        "bad.env:2:1: expected KEY=VALUE, got 'oops'"),
                Arguments.of("invalid name in an env file", "env-file = \"bad.env\"\n", "export 1A=x\n",
                        "bad.env:1:8: invalid variable name '1A' (letters, digits and _, not starting with a digit)"),
                Arguments.of("NUL byte in an env file", "env-file = \"bad.env\"\n", "A=x\0y\n", "bad.env:1:4: NUL byte"),
                Arguments.of("reserved name in an env file", "env-file = \"bad.env\"\n", "CARNIVAL_REPLICA_ID=3\n",
                        "c.toml:4:1: env-file 'bad.env' of [[service]] 'a' sets CARNIVAL_REPLICA_ID, which Carnival sets itself"),
                Arguments.of("invalid name in env", "env = { \"MY-VAR\" = \"x\" }\n", "",
                        "c.toml:4:9: 'env' in [[service]] 'a': invalid variable name 'MY-VAR' (letters, digits and _, not starting with a digit)"),
                Arguments.of("NUL byte in env", "env = { A = \"x\\u0000y\" }\n", "",
                        "c.toml:4:9: 'env' in [[service]] 'a': the value of A contains a NUL byte"),
                Arguments.of("reserved name in env", "env = { CARNIVAL_SERVICE_NAME = \"x\" }\n", "",
                        "c.toml:4:9: 'env' in [[service]] 'a': CARNIVAL_SERVICE_NAME is set by Carnival itself and cannot be set in a config"),
                Arguments.of("env not a table", "env = \"A=1\"\n", "",
                        "c.toml:4:1: 'env' in [[service]] 'a' must be a table of NAME = \"value\", got a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void eachEnvErrorIsOneLineWithExit2AndNothingRuns(String name, String key, String envFile, String message)
            throws IOException {
        Files.createDirectory(dir.resolve("adir"));
        Files.writeString(dir.resolve("bad.env"), envFile);
        String config = "[[service]]\nname = \"a\"\ncommand = \"touch\"\n" + key + "args = [\"ran\"]\n";
        try (CarnivalProcess c = CarnivalProcess.runConfig(dir, config)) {
            assertEquals(2, c.exitCode(), c.stderr());
            assertEquals("carnival: " + message, c.stderr().strip());
            assertFalse(Files.exists(dir.resolve("ran")));
        }
        try (CarnivalProcess c = CarnivalProcess.run(dir, "check", "-c", CarnivalProcess.CONFIG)) {
            assertEquals(2, c.exitCode(), c.stderr());
            assertEquals("carnival: " + message, c.stderr().strip());
        }
    }

    @Test
    void checkShowsEachProcesssEnvironmentWithSecretsMasked() {
        Configs.write(dir, "app.env", "DB_PASSWORD=hunter2\nAPI_TOKEN=abc\nPLAIN=from file\n");
        try (CarnivalProcess c = CarnivalProcess.run(dir, CARNIVAL_ENV, CarnivalProcess.withConfig(dir, """
                [global]
                env = { REGION = "eu", AWS_SECRET_ACCESS_KEY = "s3cr3t" }
                [[init]]
                command = "true"
                env = { STEP = "one" }
                [[service]]
                name = "web"
                command = "true"
                env-file = "app.env"
                env = { ssh_key = "k", L0 = "carnival", MULTI = "a\\nb" }
                """, "check"))) {
            assertEquals(0, c.exitCode(), c.stderr());
            String out = c.stdout();
            assertTrue(out.contains("""
                    output-timestamps=false drain-ms=0
                      env AWS_SECRET_ACCESS_KEY=****
                      env REGION=eu
                      env: over Carnival's own environment; each init command and service gets these too
                    init 1: true
                      env STEP=one
                    service web: true
                    """), out);
            assertTrue(out.contains("""
                      env API_TOKEN=****
                      env DB_PASSWORD=****
                      env MULTI='a\\nb'
                      env PLAIN='from file'
                      env ssh_key=****
                    start order: web
                    ok: 1 init command(s), 1 service(s), 1 replica(s)
                    """), out);
            assertFalse(out.contains("hunter2") || out.contains("s3cr3t") || out.contains("abc"), out);
            assertFalse(out.contains("env L0="), "a value Carnival's environment already has is not repeated: " + out);
        }
    }

    /** Reads what {@code env -0} wrote. */
    static Map<String, String> env0(Path file) {
        try {
            Map<String, String> env = new LinkedHashMap<>();
            for (String entry : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\0")) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    env.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
            return env;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
