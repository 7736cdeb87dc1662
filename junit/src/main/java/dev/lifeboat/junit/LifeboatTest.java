package dev.lifeboat.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class whose tests receive restored copies of Lifeboat snapshots through
 * {@link Restored} parameters and fields. It registers {@link LifeboatExtension}; nothing else.
 *
 * <pre>{@code
 * @LifeboatTest
 * class OrdersTest {
 *   @Test
 *   void refundsKeepTotals(@Restored(target = "file:/backups/shop") DataSource db) { ... }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LifeboatExtension.class)
public @interface LifeboatTest {}
