package dev.carnival.junit;

import dev.carnival.api.Carnival;
import dev.carnival.api.Supervisor;
import dev.carnival.api.config.ConfigException;
import dev.carnival.api.model.CarnivalConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs real processes, supervised by Carnival, around a test class.
 *
 * <pre>{@code
 * class StackTest {
 *     @RegisterExtension
 *     static CarnivalExtension carnival = CarnivalExtension.of(Path.of("src/test/resources/stack.toml"));
 *
 *     @Test
 *     void restarts(Supervisor supervisor) throws Exception {
 *         supervisor.restart("web").get();
 *     }
 * }
 * }</pre>
 *
 * <p>Before the first test it starts the config's init commands and services and waits until
 * every service that ought to run is running and ready (its readiness probe passes), at most
 * {@link #readyTimeout(Duration)}; when they do not get there, the class fails with the status
 * table and each lagging service's last output lines, and nothing is left running. Test methods
 * and lifecycle methods get the class's {@link Supervisor} as a parameter. After the last test
 * it stops everything and fails the class if a process it started is still alive (read from
 * {@code /proc}; such a process is killed).
 *
 * <p>Each process's stdout and stderr go to a file of its own in a directory per test class,
 * {@code target/carnival/CLASS/} unless {@link #outputDirectory(Path)} says otherwise.
 *
 * <p>Each test class gets a supervisor of its own, also under JUnit's parallel execution; a
 * {@code @Nested} class shares its enclosing class's. Register it in a {@code static} field.
 */
public final class CarnivalExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    /** How long services may take to be running and ready, unless told otherwise. */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Path DEFAULT_OUTPUT = Path.of("target", "carnival");
    private static final String KEY = "stack";

    private final Path file;
    private final CarnivalConfig config;
    private final Duration readyTimeout;
    private final Path outputDirectory;

    /**
     * The extension of {@link CarnivalTest}, which JUnit makes: the config file and the timeout
     * come from the annotation. Register {@link #of(Path)} or {@link #of(CarnivalConfig)} instead.
     */
    public CarnivalExtension() {
        this(null, null, DEFAULT_READY_TIMEOUT, DEFAULT_OUTPUT);
    }

    private CarnivalExtension(Path file, CarnivalConfig config, Duration readyTimeout, Path outputDirectory) {
        this.file = file;
        this.config = config;
        this.readyTimeout = readyTimeout;
        this.outputDirectory = outputDirectory;
    }

    /** Runs the services of a config file (TOML, or any format a plugin reads), read before the first test. */
    public static CarnivalExtension of(Path configFile) {
        return new CarnivalExtension(Objects.requireNonNull(configFile, "configFile"), null, DEFAULT_READY_TIMEOUT,
                DEFAULT_OUTPUT);
    }

    /** Runs the services of a config built in code. */
    public static CarnivalExtension of(CarnivalConfig config) {
        return new CarnivalExtension(null, Objects.requireNonNull(config, "config"), DEFAULT_READY_TIMEOUT,
                DEFAULT_OUTPUT);
    }

    /** The same extension with another limit on the wait for readiness (default 60 s). */
    public CarnivalExtension readyTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("readyTimeout must be positive, got " + timeout);
        }
        return new CarnivalExtension(file, config, timeout, outputDirectory);
    }

    /**
     * The same extension writing the processes' output under {@code directory} (default
     * {@code target/carnival}), in a directory per test class named after the class.
     */
    public CarnivalExtension outputDirectory(Path directory) {
        return new CarnivalExtension(file, config, readyTimeout, Objects.requireNonNull(directory, "directory"));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ExtensionContext.Store store = context.getStore(namespace());
        if (store.get(KEY, Stack.class) != null) {
            return; // an enclosing class's, for a @Nested class
        }
        Class<?> testClass = context.getRequiredTestClass();
        CarnivalConfig toRun = config;
        Duration timeout = readyTimeout;
        if (toRun == null) {
            Path path = file;
            if (path == null) {
                CarnivalTest annotation = testClass.getAnnotation(CarnivalTest.class);
                if (annotation == null) {
                    throw new ExtensionConfigurationException("CarnivalExtension on " + testClass.getName()
                            + " has no config: register CarnivalExtension.of(...) or annotate the class with @CarnivalTest");
                }
                path = Path.of(annotation.value());
                timeout = Duration.ofSeconds(annotation.readyTimeoutSeconds());
            }
            toRun = read(path);
        }
        OutputRoute output = FileOutput.in(outputDirectory.resolve(testClass.getName()));
        try {
            store.put(KEY, Stack.start(context.getUniqueId(), testClass.getName(), toRun, timeout, output));
        } catch (ConfigException e) {
            throw new ExtensionConfigurationException("carnival: " + testClass.getName() + ": " + e.getMessage(), e);
        }
    }

    private static CarnivalConfig read(Path path) {
        try {
            return Carnival.readConfig(path);
        } catch (ConfigException e) {
            throw new ExtensionConfigurationException("carnival: " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        ExtensionContext.Store store = context.getStore(namespace());
        Stack stack = store.get(KEY, Stack.class);
        if (stack != null && stack.owner().equals(context.getUniqueId())) {
            store.remove(KEY);
            stack.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Supervisor.class;
    }

    @Override
    public Supervisor resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Stack stack = context.getStore(namespace()).get(KEY, Stack.class);
        if (stack == null) {
            throw new ExtensionConfigurationException("no Carnival supervisor for " + context.getDisplayName()
                    + ": register CarnivalExtension in a static field");
        }
        return stack.supervisor();
    }

    private ExtensionContext.Namespace namespace() {
        return ExtensionContext.Namespace.create(CarnivalExtension.class, this);
    }
}
