package dev.carnival.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the services of a config file around the annotated test class: the annotation form of
 * {@link CarnivalExtension#of(java.nio.file.Path)}.
 *
 * <pre>{@code
 * @CarnivalTest("src/test/resources/stack.toml")
 * class StackTest {
 *     @Test
 *     void answers(Supervisor carnival) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(CarnivalExtension.class)
public @interface CarnivalTest {
    /** The config file (TOML, or any format a plugin reads), relative to the working directory. */
    String value();

    /** How long every service that should run may take to be running and ready; default 60. */
    long readyTimeoutSeconds() default 60;
}
