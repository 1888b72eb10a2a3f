package dev.carnival.runtime.process.linux;

/**
 * Linux error numbers we act on, and their text. The numbers are the generic ones, identical on
 * x86_64 and aarch64. Text is ours rather than strerror(3) so messages do not depend on the locale.
 */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int ESRCH = 3;
    static final int EINTR = 4;
    static final int ENXIO = 6;
    static final int E2BIG = 7;
    static final int ENOEXEC = 8;
    static final int ECHILD = 10;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int EMFILE = 24;
    static final int ETXTBSY = 26;
    static final int ENAMETOOLONG = 36;
    static final int ENOSYS = 38;
    static final int ELOOP = 40;

    private Errno() {}

    /** Lower-case text for an error number, to follow a "what: " prefix. */
    static String describe(int errno) {
        return switch (errno) {
            case EPERM -> "operation not permitted";
            case ENOENT -> "no such file or directory";
            case ESRCH -> "no such process";
            case EINTR -> "interrupted system call";
            case ENXIO -> "no such device or address";
            case E2BIG -> "argument list too long";
            case ENOEXEC -> "exec format error";
            case ECHILD -> "no child processes";
            case EAGAIN -> "resource temporarily unavailable";
            case ENOMEM -> "cannot allocate memory";
            case EACCES -> "permission denied";
            case ENOTDIR -> "not a directory";
            case EISDIR -> "is a directory";
            case EINVAL -> "invalid argument";
            case EMFILE -> "too many open files";
            case ETXTBSY -> "text file busy";
            case ENAMETOOLONG -> "file name too long";
            case ENOSYS -> "function not implemented";
            case ELOOP -> "too many levels of symbolic links";
            default -> "error " + errno;
        };
    }
}
