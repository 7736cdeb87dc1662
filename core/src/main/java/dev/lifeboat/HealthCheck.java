package dev.lifeboat;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * One line of a {@link HealthReport}.
 *
 * @param name what was checked, e.g. {@code newest snapshot age}
 * @param value what was found, e.g. {@code 3h12m}
 * @param limit the limit it was held against, e.g. {@code 26h}; {@code null} for information
 *     (no limit was given and the check has no default), which always passes
 * @param passed whether the value is within the limit
 * @param hint one line: what the value means, or what to do when the check failed
 */
@JsonPropertyOrder({"name", "value", "limit", "passed", "hint"})
public record HealthCheck(String name, String value, String limit, boolean passed, String hint) {
  public HealthCheck {
    Objects.requireNonNull(name, "name");
    value = Redactor.redact(value == null ? "" : value);
    hint = Redactor.redact(hint == null ? "" : hint);
  }

  /** A check held against {@code limit}. */
  public static HealthCheck of(String name, String value, String limit, boolean passed, String hint) {
    return new HealthCheck(name, value, limit, passed, hint);
  }

  /** A value reported without a limit; it never fails. */
  public static HealthCheck info(String name, String value, String hint) {
    return new HealthCheck(name, value, null, true, hint);
  }

  /** Whether this check is only information (it has no limit). */
  public boolean informational() {
    return limit == null;
  }
}
