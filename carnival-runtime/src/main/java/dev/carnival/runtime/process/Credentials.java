package dev.carnival.runtime.process;

import java.util.Arrays;
import java.util.Objects;

/**
 * Who a child runs as: its uid and gid (real, effective, saved and filesystem alike) and its
 * supplementary groups, plus the account's name and home for {@code USER}, {@code LOGNAME} and
 * {@code HOME}.
 */
public record Credentials(String user, int uid, int gid, int[] groups, String home) {
    public Credentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(home, "home");
        groups = groups.clone();
    }

    @Override
    public int[] groups() {
        return groups.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials c && c.user.equals(user) && c.uid == uid && c.gid == gid
                && Arrays.equals(c.groups, groups) && c.home.equals(home);
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, uid, gid, Arrays.hashCode(groups), home);
    }

    @Override
    public String toString() {
        return user + " (uid " + uid + ", gid " + gid + ", groups " + Arrays.toString(groups) + ")";
    }
}
