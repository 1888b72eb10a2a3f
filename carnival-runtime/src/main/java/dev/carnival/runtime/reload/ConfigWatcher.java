package dev.carnival.runtime.reload;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Tells when a config file or one of its env files has changed, by content: an event in a watched
 * file's directory (a write, a rename over it, or Kubernetes swapping a ConfigMap's {@code ..data}
 * symlink, which touches no watched name) makes it look again once the directory has been quiet
 * for the debounce, and it calls back only when a file's bytes or existence differ from what it
 * last saw. The files to watch are asked for again after each change (a new config may name other
 * env files).
 */
public final class ConfigWatcher implements AutoCloseable {
    private final Supplier<List<Path>> files;
    private final Duration debounce;
    private final Runnable changed;
    private final WatchService service;
    private final Thread thread;
    private final Map<Path, WatchKey> dirs = new HashMap<>();
    private Map<Path, String> seen = Map.of();

    private ConfigWatcher(Supplier<List<Path>> files, Duration debounce, Runnable changed) throws IOException {
        this.files = files;
        this.debounce = debounce;
        this.changed = changed;
        this.service = FileSystems.getDefault().newWatchService();
        this.thread = Thread.ofVirtual().name("carnival-config-watch").unstarted(this::loop);
    }

    /**
     * Starts watching the files {@code files} names now and after each change, calling
     * {@code changed} (on the watcher's own thread) once per settled change.
     *
     * @throws IOException when the file system cannot watch (inotify instances exhausted, say)
     */
    public static ConfigWatcher start(Supplier<List<Path>> files, Duration debounce, Runnable changed)
            throws IOException {
        Objects.requireNonNull(changed, "changed");
        ConfigWatcher w = new ConfigWatcher(files, debounce, changed);
        w.rewatch();
        w.thread.start();
        return w;
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = service.take();
                drain(key);
                // Settle: editors and kubelet write in several steps.
                for (WatchKey more; (more = service.poll(debounce.toMillis(), TimeUnit.MILLISECONDS)) != null; ) {
                    drain(more);
                }
                Map<Path, String> before = seen;
                rewatch();
                if (!before.equals(seen)) {
                    changed.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    /** Registers each file's directory (new ones once) and records what each file holds now. */
    private void rewatch() {
        Map<Path, String> now = new HashMap<>();
        Set<Path> wanted = new LinkedHashSet<>();
        for (Path f : files.get()) {
            Path abs = f.toAbsolutePath().normalize();
            now.put(abs, fingerprint(abs));
            Path dir = abs.getParent();
            if (dir != null) {
                wanted.add(dir);
            }
        }
        for (Path dir : wanted) {
            if (!dirs.containsKey(dir)) {
                try {
                    dirs.put(dir, dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
                } catch (IOException e) {
                    // A directory that is gone is looked at again after the next change elsewhere.
                }
            }
        }
        for (Path dir : new ArrayList<>(dirs.keySet())) {
            if (!wanted.contains(dir)) {
                dirs.remove(dir).cancel();
            }
        }
        seen = Map.copyOf(now);
    }

    /** The file's content hash, following symlinks; a distinct word when it cannot be read. */
    private static String fingerprint(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return Arrays.toString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (IOException e) {
            return "unreadable: " + e.getClass().getSimpleName();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            // nothing left to release
        }
        thread.interrupt();
    }
}
