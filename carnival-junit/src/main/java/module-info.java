/**
 * A JUnit Jupiter extension that runs real processes, supervised by Carnival, around a test
 * class: {@link dev.carnival.junit.CarnivalExtension} and its annotation form
 * {@link dev.carnival.junit.CarnivalTest}. It compiles against {@code carnival.api} only; the
 * engine ({@code carnival.runtime}) and the default plugins are found with ServiceLoader at run time.
 */
module carnival.junit {
    requires transitive carnival.api;
    requires transitive org.junit.jupiter.api;

    exports dev.carnival.junit;
}
