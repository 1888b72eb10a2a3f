package dev.carnival.runtime.output;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;

/**
 * One of Carnival's own output streams, shared by every prefixed service. Each write is whole
 * lines, made under one lock with one unbuffered write, so lines from different replicas never
 * interleave or tear.
 */
public final class Console implements LineTarget {
    /** Carnival's stdout. */
    public static final Console OUT = new Console(new FileOutputStream(FileDescriptor.out));
    /** Carnival's stderr. */
    public static final Console ERR = new Console(new FileOutputStream(FileDescriptor.err));

    private final FileOutputStream stream;
    private boolean broken;

    private Console(FileOutputStream stream) {
        this.stream = stream;
    }

    /** Writes whole lines. A closed stream (EPIPE) is given up on quietly: nobody is reading. */
    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        if (broken || length == 0) {
            return;
        }
        try {
            stream.write(bytes, offset, length);
        } catch (IOException e) {
            broken = true;
        }
    }
}
