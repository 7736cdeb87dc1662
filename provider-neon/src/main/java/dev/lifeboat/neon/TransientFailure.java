package dev.lifeboat.neon;

import java.io.IOException;
import java.time.Duration;

/**
 * An answer worth another try: 423, 429 or 503 (Neon applied nothing), or, for calls that are
 * safe to resend, a lost answer or another 5xx (Neon may have applied it). Its texts are already
 * made safe to show ({@link ServerText}).
 */
final class TransientFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The HTTP status; 0 when no answer came. */
  final int status;
  /** The wait the answer's {@code Retry-After} asked for, or {@code null}. */
  final Duration retryAfter;
  final String neonCode;
  final String neonMessage;
  final String requestId;

  TransientFailure(int status, Duration retryAfter, String neonCode, String neonMessage, String requestId) {
    super(null, null, false, false);
    this.status = status;
    this.retryAfter = retryAfter;
    this.neonCode = neonCode;
    this.neonMessage = neonMessage;
    this.requestId = requestId;
  }

  TransientFailure(IOException cause, String requestId) {
    super(ServerText.oneLine(cause.toString(), ServerText.MAX_MESSAGE), cause, false, false);
    this.status = 0;
    this.retryAfter = null;
    this.neonCode = "";
    this.neonMessage = ServerText.oneLine(String.valueOf(cause.getMessage()), ServerText.MAX_MESSAGE);
    this.requestId = requestId;
  }

  boolean connectionFailure() {
    return status == 0;
  }

  boolean rateLimited() {
    return status == 429;
  }

  /** No answer, or a 5xx that does not promise that nothing was done (503 does). */
  boolean mayHaveApplied() {
    return status == 0 || (status >= 500 && status != 503);
  }

  /** For the retry log line. */
  String describe() {
    return connectionFailure() ? "connection failed (" + neonMessage + ")" : "status " + status;
  }
}
