package dev.carnival.api.model;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvVarsTest {
    @ParameterizedTest
    @ValueSource(strings = {"A", "_", "a1", "PATH", "_X_9", "lower_case"})
    void namesOfLettersDigitsAndUnderscoreNotStartingWithADigit(String name) {
        assertNull(EnvVars.invalidName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1A", "9", "A-B", "A.B", "A B", "É", "A=B", "A\u0000"})
    void otherNamesAreInvalid(String name) {
        assertNotNull(EnvVars.invalidName(name));
    }
}
