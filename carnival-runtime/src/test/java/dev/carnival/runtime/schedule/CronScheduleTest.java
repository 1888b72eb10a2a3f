package dev.carnival.runtime.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CronScheduleTest {
    private static final ZoneId HELSINKI = ZoneId.of("Europe/Helsinki");

    private static Instant at(String offsetDateTime) {
        return OffsetDateTime.parse(offsetDateTime).toInstant();
    }

    private static List<Instant> runs(String expression, ZoneId zone, String after, int count) throws Exception {
        return CronSchedule.parse(expression, zone).next(at(after), count);
    }

    private static List<Instant> all(String... offsetDateTimes) {
        return java.util.Arrays.stream(offsetDateTimes).map(CronScheduleTest::at).toList();
    }

    @Test
    void fiveFieldsStepInUtcByDefault() throws Exception {
        assertEquals(all("2026-12-07T03:15:00Z", "2026-12-07T03:30:00Z", "2026-12-07T03:45:00Z"),
                runs("*/15 * * * *", ZoneOffset.UTC, "2026-12-07T03:01:00Z", 3));
    }

    @Test
    void namesRangesListsAndStepsAsVixieCronReadsThem() throws Exception {
        // 2026-12-07 is a Monday: minutes 0 and 30 of hours 9 and 17 (9-17 in steps of 8).
        assertEquals(all("2026-12-07T09:00:00Z", "2026-12-07T09:30:00Z", "2026-12-07T17:00:00Z"),
                runs("0,30 9-17/8 * JAN-DEC MON-FRI", ZoneOffset.UTC, "2026-12-07T00:00:00Z", 3));
        // Day of month and day of week both restricted: either matches (the 1st, or a Sunday).
        assertEquals(all("2026-12-13T00:00:00Z", "2026-12-20T00:00:00Z", "2026-12-27T00:00:00Z", "2027-01-01T00:00:00Z"),
                runs("0 0 1 * 7", ZoneOffset.UTC, "2026-12-07T00:00:00Z", 4));
    }

    @Test
    void nicknames() throws Exception {
        assertEquals(all("2026-12-07T04:00:00Z"), runs("@hourly", ZoneOffset.UTC, "2026-12-07T03:01:00Z", 1));
        assertEquals(all("2026-12-08T00:00:00Z"), runs("@daily", ZoneOffset.UTC, "2026-12-07T03:01:00Z", 1));
        assertEquals(all("2026-12-08T00:00:00Z"), runs("@midnight", ZoneOffset.UTC, "2026-12-07T03:01:00Z", 1));
        assertEquals(all("2026-12-13T00:00:00Z"), runs("@weekly", ZoneOffset.UTC, "2026-12-07T03:01:00Z", 1));
        assertEquals(all("2027-01-01T00:00:00Z"), runs("@monthly", ZoneOffset.UTC, "2026-12-07T03:01:00Z", 1));
        assertEquals(all("2027-01-01T00:00:00Z"), runs("@yearly", ZoneOffset.UTC, "2026-12-07T03:01:00Z", 1));
        assertEquals(all("2027-01-01T00:00:00Z"), runs("@ANNUALLY", ZoneOffset.UTC, "2026-12-07T03:01:00Z", 1));
    }

    @Test
    void sixFieldsPutSecondsFirst() throws Exception {
        assertEquals(all("2026-12-07T03:01:05Z", "2026-12-07T03:01:10Z"),
                runs("*/5 * * * * *", ZoneOffset.UTC, "2026-12-07T03:01:01Z", 2));
    }

    @Test
    void runsAreOnWholeSecondsWhateverTheFractionAskedFrom() throws Exception {
        assertEquals(all("2026-12-07T03:01:06Z", "2026-12-07T03:01:07Z"),
                runs("* * * * * *", ZoneOffset.UTC, "2026-12-07T03:01:05.500Z", 2));
        assertEquals(all("2026-12-07T03:02:00Z"), runs("* * * * *", ZoneOffset.UTC, "2026-12-07T03:01:59.999Z", 1));
    }

    @Test
    void aZoneMovesTheRuns() throws Exception {
        // Helsinki is UTC+2 in winter.
        assertEquals(all("2026-12-08T12:00:00+02:00"), runs("0 12 * * *", HELSINKI, "2026-12-07T12:00:00+02:00", 1));
    }

    @Test
    void aTimeInTheSkippedHourRunsOnceAtTheGapsEndAndNoDayIsLost() throws Exception {
        // 2026-03-29: Helsinki goes from 03:00 +02:00 straight to 04:00 +03:00.
        assertEquals(all("2026-03-28T03:30:00+02:00", "2026-03-29T04:00:00+03:00", "2026-03-30T03:30:00+03:00"),
                runs("30 3 * * *", HELSINKI, "2026-03-28T00:00:00+02:00", 3));
        // Every run due in the skipped hour happens once, at its end; the hour's neighbours keep theirs.
        assertEquals(all("2026-03-29T02:40:00+02:00", "2026-03-29T04:00:00+03:00", "2026-03-29T04:20:00+03:00"),
                runs("*/20 * * * *", HELSINKI, "2026-03-29T02:30:00+02:00", 3));
        assertEquals(all("2026-03-29T02:15:00+02:00", "2026-03-29T04:00:00+03:00", "2026-03-29T04:15:00+03:00"),
                runs("15 2-4 * * *", HELSINKI, "2026-03-29T00:00:00+02:00", 3));
    }

    @Test
    void aTimeInTheRepeatedHourRunsOnceInItsFirstPass() throws Exception {
        // 2026-10-25: Helsinki goes from 04:00 +03:00 back to 03:00 +02:00; 03:xx happens twice.
        assertEquals(all("2026-10-24T03:30:00+03:00", "2026-10-25T03:30:00+03:00", "2026-10-26T03:30:00+02:00"),
                runs("30 3 * * *", HELSINKI, "2026-10-24T00:00:00+03:00", 3));
        assertEquals(all("2026-10-25T03:15:00+03:00", "2026-10-25T04:15:00+02:00", "2026-10-26T03:15:00+02:00"),
                runs("15 3-4 * * *", HELSINKI, "2026-10-25T03:00:00+03:00", 3));
        // Hourly: the second pass of 03:00 runs nothing.
        assertEquals(all("2026-10-25T03:00:00+03:00", "2026-10-25T04:00:00+02:00"),
                runs("@hourly", HELSINKI, "2026-10-25T02:30:00+03:00", 2));
    }

    @Test
    void askedDuringTheSecondPassItWaitsForTheFirstTimeNotRunYet() throws Exception {
        // 03:10 +02:00 is in the second pass: 03:20 and 03:40 ran an hour ago (+03:00).
        assertEquals(all("2026-10-25T04:00:00+02:00"), runs("*/20 * * * *", HELSINKI, "2026-10-25T03:10:00+02:00", 1));
        assertEquals(all("2026-10-25T04:00:00+02:00"), runs("* * * * * *", HELSINKI, "2026-10-25T03:59:59+02:00", 1));
        // Every second of the repeated hour ran in the first pass; the next is the hour after it.
        assertEquals(all("2026-10-25T04:00:00+02:00"), runs("* * * * * *", HELSINKI, "2026-10-25T03:00:00+02:00", 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"* * * *", "* * * * * * *", "", "61 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *",
            "* * * * 8", "@reboot", "@often", "x * * * *", "0 0 30 2 *"})
    void notASchedule(String expression) {
        InvalidScheduleException e = assertThrows(InvalidScheduleException.class,
                () -> CronSchedule.parse(expression, ZoneOffset.UTC));
        assertTrue(!e.getMessage().contains("\n") && !e.getMessage().isBlank(), e.getMessage());
    }

    @Test
    void rebootPointsAtRunOnStart() {
        InvalidScheduleException e = assertThrows(InvalidScheduleException.class,
                () -> CronSchedule.parse("@reboot", ZoneOffset.UTC));
        assertTrue(e.getMessage().contains("run-on-start"), e.getMessage());
    }
}
