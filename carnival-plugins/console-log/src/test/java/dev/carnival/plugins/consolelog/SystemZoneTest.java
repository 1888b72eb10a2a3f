package dev.carnival.plugins.consolelog;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SystemZone says UTC only where the JDK would pick a UTC zone, over a fake /etc. */
class SystemZoneTest {
    @TempDir
    Path etc;

    private void localtimeTo(String target) throws IOException {
        Files.createSymbolicLink(etc.resolve("localtime"), Path.of(target));
    }

    @Test
    void noLocaltimeIsTheJdksGmtFallback() {
        assertTrue(SystemZone.isUtc(null, Map.of(), etc));
    }

    @Test
    void aLinkToAUtcZoneIsUtcAndAnyOtherZoneIsNot() throws IOException {
        localtimeTo("/usr/share/zoneinfo/Etc/UTC");
        assertTrue(SystemZone.isUtc(null, Map.of(), etc));
        Files.delete(etc.resolve("localtime"));
        localtimeTo("../usr/share/zoneinfo/Europe/Helsinki");
        assertFalse(SystemZone.isUtc(null, Map.of(), etc));
    }

    @Test
    void aCopiedZoneFileIsLeftToTheJdk() throws IOException {
        Files.write(etc.resolve("localtime"), new byte[] {'T', 'Z', 'i', 'f'});
        assertFalse(SystemZone.isUtc(null, Map.of(), etc));
    }

    @Test
    void etcTimezoneComesBeforeLocaltime() throws IOException {
        localtimeTo("/usr/share/zoneinfo/Etc/UTC");
        Files.writeString(etc.resolve("timezone"), "Europe/Paris\n");
        assertFalse(SystemZone.isUtc(null, Map.of(), etc));
        Files.writeString(etc.resolve("timezone"), "Etc/UTC\n");
        assertTrue(SystemZone.isUtc(null, Map.of(), etc));
    }

    @Test
    void tzComesBeforeTheFilesAndThePropertyBeforeTz() throws IOException {
        localtimeTo("/usr/share/zoneinfo/Etc/UTC");
        assertFalse(SystemZone.isUtc(null, Map.of("TZ", "America/New_York"), etc));
        assertTrue(SystemZone.isUtc(null, Map.of("TZ", ":UTC"), etc));
        assertFalse(SystemZone.isUtc(null, Map.of("TZ", "UTC0"), etc)); // POSIX form: the JDK decides
        assertFalse(SystemZone.isUtc("Asia/Tokyo", Map.of("TZ", "UTC"), etc));
        assertTrue(SystemZone.isUtc("UTC", Map.of("TZ", "Asia/Tokyo"), etc));
        assertTrue(SystemZone.isUtc("", Map.of(), etc));
    }
}
