package dev.carnival.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {
    private static final List<String> POLICIES = List.of("always", "no", "on-failure");

    @Test
    void oneOrTwoEditsAwayIsSuggested() {
        assertEquals(Optional.of("always"), DidYouMean.closest("alway", POLICIES));
        assertEquals(Optional.of("always"), DidYouMean.closest("Always", POLICIES));
        assertEquals(Optional.of("always"), DidYouMean.closest("alwasy", POLICIES)); // a swap is one edit
        assertEquals(Optional.of("on-failure"), DidYouMean.closest("on_falure", POLICIES));
        assertEquals(Optional.of("no"), DidYouMean.closest("na", POLICIES));
    }

    @Test
    void farNamesAndShortNamesTwoEditsAwayAreNot() {
        assertEquals(Optional.empty(), DidYouMean.closest("sometimes", POLICIES));
        assertEquals(Optional.empty(), DidYouMean.closest("yes", POLICIES)); 
        assertEquals(Optional.empty(), DidYouMean.closest("nah", POLICIES)); // two edits, short name
        assertEquals(Optional.empty(), DidYouMean.closest("x".repeat(10_000), POLICIES));
    }

    @Test
    void theHintReadsAsTheMessageEnds() {
        assertEquals(" (did you mean 'always'?)", DidYouMean.hint("alway", POLICIES));
        assertEquals("", DidYouMean.hint("sometimes", POLICIES));
    }
}
