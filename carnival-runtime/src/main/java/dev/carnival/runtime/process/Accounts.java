package dev.carnival.runtime.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Users and groups as {@code /etc/passwd} and {@code /etc/group} define them, read as files.
 *
 * <p>Why files and not {@code getpwnam_r(3)} through FFM: in the containers Carnival runs in,
 * these files are the account database; NSS would {@code dlopen} its modules into the JVM on the
 * first call and could consult the network (LDAP, sssd) from the supervisor, and the structs and
 * buffer-size dance add native surface for no gain. Accounts only NSS knows are not found.
 */
public final class Accounts {
    private final Path passwd;
    private final Path group;

    /** Reads {@code passwd} and {@code group} files (tests use their own). */
    public Accounts(Path passwd, Path group) {
        this.passwd = passwd;
        this.group = group;
    }

    /** The machine's {@code /etc/passwd} and {@code /etc/group}. */
    public static Accounts system() {
        return new Accounts(Path.of("/etc/passwd"), Path.of("/etc/group"));
    }

    /** The effective uid of this process; empty where there is no {@code /proc/self/status} (not Linux). */
    public static java.util.OptionalInt effectiveUid() {
        return effectiveId("Uid:");
    }

    /** The effective gid of this process; empty where there is no {@code /proc/self/status} (not Linux). */
    public static java.util.OptionalInt effectiveGid() {
        return effectiveId("Gid:");
    }

    private static java.util.OptionalInt effectiveId(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    // Real, effective, saved, filesystem.
                    return java.util.OptionalInt.of(Integer.parseUnsignedInt(line.substring(field.length()).strip().split("\\s+")[1]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or no procfs: unknown.
        }
        return java.util.OptionalInt.empty();
    }

    /** Why an account cannot be used; its message is one line naming what was not found. */
    public static final class AccountException extends Exception {
        public AccountException(String message) {
            super(message);
        }
    }

    /**
     * What a process run as {@code user} (a name or a uid) and {@code group} (a name, a gid, or
     * null for the user's primary group) gets: supplementary groups are every group listing the
     * user by name, plus the chosen group, as {@code initgroups(3)} makes them. A numeric uid
     * that has no passwd entry is allowed (as Docker allows it): then the groups are just the
     * gid, and {@code HOME} is {@code /}.
     */
    public Credentials resolve(String user, String group) throws AccountException {
        Optional<String[]> entry = find(passwd, user, 2);
        String name;
        int uid;
        int primary;
        String home;
        if (entry.isPresent()) {
            String[] f = entry.get();
            name = f[0];
            uid = parseId(f[2]);
            primary = parseId(f[3]);
            home = f.length > 5 && !f[5].isEmpty() ? f[5] : "/";
        } else if (isId(user)) {
            name = user;
            uid = parseId(user);
            primary = uid;
            home = "/";
        } else {
            throw new AccountException("unknown user '" + user + "' (not in " + passwd + ")");
        }
        int gid = primary;
        if (group != null) {
            Optional<String[]> g = find(this.group, group, 2);
            if (g.isPresent()) {
                gid = parseId(g.get()[2]);
            } else if (isId(group)) {
                gid = parseId(group);
            } else {
                throw new AccountException("unknown group '" + group + "' (not in " + this.group + ")");
            }
        }
        // initgroups(name, gid): the chosen group, then every group that lists the user.
        Set<Integer> groups = new LinkedHashSet<>();
        groups.add(gid);
        if (entry.isPresent()) {
            for (String[] g : lines(this.group)) {
                if (g.length > 3 && List.of(g[3].split(",")).contains(name)) {
                    groups.add(parseId(g[2]));
                }
            }
        }
        return new Credentials(name, uid, gid, groups.stream().mapToInt(Integer::intValue).toArray(), home);
    }

    /** The entry whose name is {@code key}, or whose id (field {@code idField}) is {@code key}. */
    private static Optional<String[]> find(Path file, String key, int idField) throws AccountException {
        List<String[]> entries = lines(file);
        for (String[] f : entries) {
            if (f[0].equals(key)) {
                return Optional.of(f);
            }
        }
        if (isId(key)) {
            for (String[] f : entries) {
                if (f.length > idField && f[idField].equals(key)) {
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }

    private static List<String[]> lines(Path file) throws AccountException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new AccountException("cannot read " + file + ": " + e.getMessage());
        }
        List<String[]> entries = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(":", -1);
            // Skip comments, NIS "+" lines and anything without a numeric id.
            if (f.length >= 4 && !line.startsWith("#") && !line.startsWith("+") && !line.startsWith("-")
                    && isId(f[2]) && (f.length == 4 || isId(f[3]))) {
                entries.add(f);
            }
        }
        return entries;
    }

    private static boolean isId(String s) {
        return !s.isEmpty() && s.length() <= 10 && s.chars().allMatch(c -> c >= '0' && c <= '9')
                && Long.parseLong(s) <= 0xFFFF_FFFEL;
    }

    /** ids are unsigned 32-bit; held in an int as the kernel's ABI does. */
    private static int parseId(String s) {
        return (int) Long.parseLong(s);
    }
}
