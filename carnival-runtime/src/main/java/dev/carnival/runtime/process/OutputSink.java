package dev.carnival.runtime.process;

/**
 * Receives what a child writes to a piped stdout or stderr. Process control calls it from its own
 * reading thread, in order; implementations must be thread-safe because a restarted replica's new
 * process may write while an orphaned grandchild of the old one still holds the old pipe.
 */
public interface OutputSink {

    /**
     * How long an exit waits for the output still in the pipe before it is reported: a grandchild
     * may hold the pipe open forever, so the exit cannot wait for end-of-file.
     */
    long DRAIN_MILLIS = 200;

    /**
     * Not a pipe: the stream goes to /dev/null (a probe command's output). Process control
     * recognises this instance and never calls it.
     */
    OutputSink DISCARD = new OutputSink() {
        @Override
        public void write(byte[] bytes, int offset, int length) {}

        @Override
        public void flush() {}
    };

    /** True when {@code sink} needs a pipe: it is neither null (inherit) nor {@link #DISCARD}. */
    static boolean piped(OutputSink sink) {
        return sink != null && sink != DISCARD;
    }

    /** Bytes as the child wrote them; never modified, never decoded. */
    void write(byte[] bytes, int offset, int length);

    /** The child exited or its pipe closed: emit a partial last line now. More writes may follow. */
    void flush();
}
