package dev.carnival.plugins.consolelog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.SimpleTimeZone;
import java.util.TimeZone;

/**
 * The time zone of log lines: the JDK's default, except where the system is plainly on UTC (as
 * most containers are), which is answered without {@link TimeZone#getDefault()}. Its first call
 * reads and parses the JDK's whole time-zone database, about 10 ms of every start.
 *
 * <p>"Plainly UTC" follows the JDK's own order on Linux, and anything it is unsure of goes to
 * the JDK: {@code user.timezone} if set, else {@code TZ} if set, else {@code /etc/timezone} if it
 * exists, else {@code /etc/localtime}, absent (the JDK falls back to GMT) or a link to a UTC zone.
 */
final class SystemZone {
    /** Zone IDs that are UTC at every instant. */
    private static final Set<String> UTC = Set.of("UTC", "Etc/UTC", "UCT", "Etc/UCT", "GMT", "Etc/GMT",
            "Zulu", "Etc/Zulu", "Universal", "Etc/Universal");

    private SystemZone() {}

    static TimeZone get() {
        return isUtc(System.getProperty("user.timezone"), System.getenv(), Path.of("/etc"))
                ? new SimpleTimeZone(0, "UTC") : TimeZone.getDefault();
    }

    /** True only when the JDK would pick a UTC zone; {@code etc} stands for {@code /etc}. */
    static boolean isUtc(String property, Map<String, String> env, Path etc) {
        if (property != null && !property.isEmpty()) {
            return UTC.contains(property);
        }
        String tz = env.get("TZ");
        if (tz != null && !tz.isEmpty()) {
            return UTC.contains(tz.startsWith(":") ? tz.substring(1) : tz);
        }
        try {
            Path timezone = etc.resolve("timezone");
            if (Files.exists(timezone)) {
                return UTC.contains(Files.readString(timezone, StandardCharsets.UTF_8).strip());
            }
            Path localtime = etc.resolve("localtime");
            if (!Files.exists(localtime, LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
            if (!Files.isSymbolicLink(localtime)) {
                return false; // a copy of some zone's file: only the JDK can tell which
            }
            String target = Files.readSymbolicLink(localtime).toString();
            int zoneinfo = target.indexOf("zoneinfo/");
            return zoneinfo >= 0 && UTC.contains(target.substring(zoneinfo + "zoneinfo/".length()));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
