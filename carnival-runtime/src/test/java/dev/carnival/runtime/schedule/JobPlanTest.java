package dev.carnival.runtime.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carnival.api.model.JobSpec;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class JobPlanTest {

    @Test
    void theNextThreeRunsInTheJobsZoneAcrossASpringForward() {
        JobSpec job = new JobSpec("30 3 * * *", ZoneId.of("Europe/Helsinki"), JobSpec.Overlap.ALLOW, true);
        assertEquals("""
                  job: schedule='30 3 * * *' schedule-timezone=Europe/Helsinki overlap=allow run-on-start=true
                  next runs: 2026-03-28T03:30:00+02:00, 2026-03-29T04:00:00+03:00, 2026-03-30T03:30:00+03:00
                """, JobPlan.describe(job, Instant.parse("2026-03-28T00:00:00Z"), 3));
    }

    @Test
    void rfc3339ToTheSecondInTheZone() {
        assertEquals("2026-10-25T03:30:00+03:00",
                JobPlan.rfc3339(Instant.parse("2026-10-25T00:30:00.123Z"), new JobSpec("@daily", ZoneId.of("Europe/Helsinki"), JobSpec.Overlap.SKIP, false)));
        assertEquals("2026-10-25T00:30:00Z", JobPlan.rfc3339(Instant.parse("2026-10-25T00:30:00Z"), JobSpec.of("@daily")));
    }
}
