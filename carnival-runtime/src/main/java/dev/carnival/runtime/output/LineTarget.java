package dev.carnival.runtime.output;

/** Where whole lines go; each call holds only whole lines and must be written in one piece. */
@FunctionalInterface
public interface LineTarget {
    void write(byte[] bytes, int offset, int length);
}
