package dev.carnival.junit;

import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.InitCommand;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ServiceConfig;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * One directory per test class, one file per replica ({@code service.NAME.INDEX.log}) and per
 * init command ({@code init.INDEX.log}), stdout and stderr together, appended across restarts.
 * A service whose output Carnival captures ({@code prefix}, {@code raw}, {@code json}) is left as
 * it is: its lines go where that mode sends them.
 *
 * <p>Each command is started through {@code /bin/sh}, which opens its file and then {@code exec}s
 * the command itself: the pid, the process group, signals and exit status stay the command's, the
 * same on native and JDK process control, and a line written just before a crash is in the file
 * whatever happens to the JVM.
 */
final class FileOutput implements OutputRoute {
    private static final String SHELL = "/bin/sh";
    // $0 is the file's stem; CARNIVAL_REPLICA_ID is set by Carnival for every service process.
    private static final String SERVICE_SCRIPT = "exec \"$@\" >>\"$0.$CARNIVAL_REPLICA_ID.log\" 2>&1";
    private static final String INIT_SCRIPT = "exec \"$@\" >>\"$0\" 2>&1";
    private static final int TAIL_BYTES = 64 * 1024;

    private final Path directory;

    private FileOutput(Path directory) {
        this.directory = directory;
    }

    /** Makes {@code directory} (absolute from here on) and empties it of an earlier run's logs. */
    static FileOutput in(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the output directory " + dir + ": " + e.getMessage(), e);
        }
        return new FileOutput(dir);
    }

    @Override
    public CarnivalConfig route(CarnivalConfig config) {
        List<InitCommand> init = new ArrayList<>();
        for (int i = 0; i < config.init().size(); i++) {
            InitCommand c = config.init().get(i);
            init.add(new InitCommand(SHELL, wrapped(INIT_SCRIPT, initFile(i).toString(), c.commandLine()),
                    c.workingDir(), c.env(), c.user(), c.group()));
        }
        List<ServiceConfig> services = new ArrayList<>();
        for (ServiceConfig s : config.services()) {
            // A captured service keeps its mode: its lines pass through Carnival, where a
            // log-line readiness probe reads them.
            services.add(s.output().captured() ? s
                    : s.withCommand(SHELL, wrapped(SERVICE_SCRIPT, stem(s.name()).toString(), s.commandLine())));
        }
        return new CarnivalConfig(config.global(), init, services);
    }

    private static List<String> wrapped(String script, String zeroth, List<String> commandLine) {
        List<String> args = new ArrayList<>(commandLine.size() + 3);
        args.add("-c");
        args.add(script);
        args.add(zeroth);
        args.addAll(commandLine);
        return args;
    }

    private Path stem(String service) {
        return directory.resolve("service." + service.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    Path file(ReplicaId replica) {
        return Path.of(stem(replica.service()) + "." + replica.index() + ".log");
    }

    private Path initFile(int index) {
        return directory.resolve("init." + index + ".log");
    }

    @Override
    public List<String> lastLines(ReplicaId replica, int count) {
        return tail(file(replica), count);
    }

    @Override
    public List<String> lastInitLines(int index, int count) {
        return tail(initFile(index), count);
    }

    @Override
    public String whereIs(ReplicaId replica) {
        return file(replica).toString();
    }

    @Override
    public String describe() {
        return directory.toString();
    }

    private static List<String> tail(Path file, int count) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            int size = (int) Math.min(length, TAIL_BYTES);
            byte[] bytes = new byte[size];
            in.seek(length - size);
            in.readFully(bytes);
            List<String> lines = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\r?\n"));
            if (size < length && !lines.isEmpty()) {
                lines = lines.subList(1, lines.size()); // the first is a fragment
            }
            if (lines.size() == 1 && lines.getFirst().isEmpty()) {
                return List.of();
            }
            return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (FileNotFoundException e) {
            return List.of();
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }
}
