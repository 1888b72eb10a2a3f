package dev.carnival.runtime.process.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reaper of an embedded supervisor, a library inside someone else's JVM whose other children
 * are not ours: it polls one pidfd per managed child, and only ever waits on our own pids.
 */
final class PidfdReaper extends Reaper {
    private static final Logger LOG = LoggerFactory.getLogger(PidfdReaper.class);
    // Children without a pidfd (kernel < 5.3, or fd limit hit) are polled with WNOHANG.
    private static final int NO_PIDFD_MILLIS = 50;

    private final PollSet pollSet = new PollSet();
    private volatile boolean changed = true;
    private final Thread thread;

    PidfdReaper() {
        thread = thread(this::pollPidfds);
        thread.start();
    }

    @Override
    int pidfdFor(int pid) {
        int pidfd = LibC.pidfdOpen(pid);
        if (pidfd < 0) {
            LOG.debug("pidfd_open({}) failed: {}; polling it instead", pid, Errno.describe(-pidfd));
            return -1;
        }
        return pidfd;
    }

    @Override
    void changedLocked() {
        changed = true;
    }

    @Override
    void registered() {
        pollSet.wake();
    }

    @Override
    void stop() {
        pollSet.wake();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("reaper thread did not stop; leaving its fds open");
            return;
        }
        abandonAll();
        pollSet.close();
    }

    private void pollPidfds() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment statusWord = arena.allocate(JAVA_INT);
            LinuxChild[] watched = new LinuxChild[0];
            List<LinuxChild> unwatched = List.of();
            while (true) {
                try {
                    if (changed) {
                        changed = false;
                        List<LinuxChild> all = snapshot();
                        if (all == null) {
                            return;
                        }
                        List<LinuxChild> withFd = new ArrayList<>(all.size());
                        unwatched = new ArrayList<>();
                        for (LinuxChild c : all) {
                            (c.pidfd() >= 0 ? withFd : unwatched).add(c);
                        }
                        watched = withFd.toArray(LinuxChild[]::new);
                        pollSet.resize(watched.length);
                        for (int i = 0; i < watched.length; i++) {
                            pollSet.set(i, watched[i].pidfd());
                        }
                    }
                    int n = pollSet.poll(unwatched.isEmpty() ? -1 : NO_PIDFD_MILLIS);
                    if (n < 0 && n != -Errno.EINTR) {
                        LOG.error("poll failed: {}", Errno.describe(-n));
                        Thread.sleep(NO_PIDFD_MILLIS); // do not spin on a persistent error
                    }
                    for (int i = 0; n > 0 && i < watched.length; i++) {
                        if (pollSet.revents(i) != 0 && reap(watched[i], statusWord)) {
                            watched[i].deliver(EXIT_DELIVERY);
                        }
                    }
                    for (LinuxChild child : unwatched) {
                        if (reap(child, statusWord)) {
                            child.deliver(EXIT_DELIVERY);
                        }
                    }
                } catch (InterruptedException e) {
                    // Only close() stops this thread, through the closed flag.
                } catch (RuntimeException | Error e) {
                    LOG.error("reaper iteration failed; continuing", e);
                }
            }
        }
    }

    /** The children to watch, or null once closed. */
    private List<LinuxChild> snapshot() {
        registry.lock();
        try {
            return closed ? null : new ArrayList<>(children.values());
        } finally {
            registry.unlock();
        }
    }
}
