package dev.lifeboat;

import java.util.Objects;

/**
 * One line of a {@link Verification}.
 *
 * @param name what was checked, e.g. {@code count public.orders}
 * @param status the outcome
 * @param detail expected and actual values, or why it failed
 */
public record Check(String name, Status status, String detail) {
  /** The outcome of one check. */
  public enum Status { PASSED, FAILED, SKIPPED }

  public Check {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    detail = detail == null ? "" : detail;
  }

  public static Check passed(String name, String detail) {
    return new Check(name, Status.PASSED, detail);
  }

  public static Check failed(String name, String detail) {
    return new Check(name, Status.FAILED, detail);
  }

  public static Check skipped(String name, String detail) {
    return new Check(name, Status.SKIPPED, detail);
  }

  /** {@code PASS  name  detail}. */
  @Override
  public String toString() {
    String mark = status == Status.PASSED ? "PASS" : status == Status.FAILED ? "FAIL" : "SKIP";
    return mark + "  " + name + (detail.isEmpty() ? "" : "  " + detail);
  }
}
