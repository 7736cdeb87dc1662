package dev.lifeboat.neon;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;

/**
 * An error answer of the Neon API. The message names the method, path, status, Neon's error code
 * and message and the request id, on one line, and says what to check; it never holds the API key
 * or a password, even when the server echoed them. {@link #neonCode()} and {@link #requestId()}
 * are made safe the same way.
 */
final class NeonApiException extends LifeboatException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String neonCode;
  private final String requestId;
  private final int attempts;
  private final boolean earlierAttemptUnanswered;

  NeonApiException(ErrorCode code, String message, int status, String neonCode, String requestId, int attempts,
      boolean earlierAttemptUnanswered) {
    super(code, message);
    this.earlierAttemptUnanswered = earlierAttemptUnanswered;
    this.status = status;
    this.neonCode = neonCode == null ? "" : neonCode;
    this.requestId = requestId;
    this.attempts = attempts;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** Neon's error code ({@code BRANCHES_LIMIT_EXCEEDED}), empty when it sent none. */
  public String neonCode() {
    return neonCode;
  }

  /** The request id Neon echoed, or the one Lifeboat sent. */
  public String requestId() {
    return requestId;
  }

  /** How many times the request was sent. */
  public int attempts() {
    return attempts;
  }

  /**
   * Whether an earlier attempt of this request (or, for a final error after retries, its last one)
   * got no answer (connection reset or timeout) or a 5xx other than 503, so Neon may have applied
   * it. Only then can a 409 "already exists" be the request's own doing; after a 423, 429 or 503
   * Neon applied nothing.
   */
  public boolean earlierAttemptUnanswered() {
    return earlierAttemptUnanswered;
  }

  /** Whether Neon refused because the project has as many branches as its plan allows. */
  public boolean branchLimitExceeded() {
    return neonCode.endsWith("BRANCHES_LIMIT_EXCEEDED");
  }
}
