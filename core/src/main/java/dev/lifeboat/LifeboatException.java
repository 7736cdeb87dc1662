package dev.lifeboat;

import java.util.Objects;

/**
 * The one exception Lifeboat throws. Its message says what went wrong and what to do next, and
 * never contains a secret.
 */
public class LifeboatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public LifeboatException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public LifeboatException(ErrorCode code, String message, Throwable cause) {
    super(Redactor.redact(message), cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** The kind of failure. */
  public ErrorCode code() {
    return code;
  }

  /** The message, with every secret known to the {@link Redactor} removed. */
  @Override
  public String getMessage() {
    return Redactor.redact(super.getMessage());
  }

  @Override
  public String toString() {
    return "LifeboatException[" + code + "]: " + getMessage();
  }
}
