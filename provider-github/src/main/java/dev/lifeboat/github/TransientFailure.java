package dev.lifeboat.github;

import java.time.Duration;

/**
 * An answer worth another try: a rate-limit answer (429, or 403 naming the rate limit; GitHub did
 * nothing), a 5xx, or no answer at all (GitHub may have done it). Its texts are already safe.
 */
final class TransientFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The HTTP status; 0 when no answer came. */
  final int status;
  /** Whether GitHub refused for its rate limit (and so did nothing). */
  final boolean rateLimited;
  /** The wait GitHub asked for ({@code retry-after}, or until {@code x-ratelimit-reset}), or {@code null}. */
  final Duration wait;
  final String serverMessage;
  final String requestId;

  TransientFailure(int status, boolean rateLimited, Duration wait, String serverMessage, String requestId) {
    super(serverMessage, null, false, false);
    this.status = status;
    this.rateLimited = rateLimited;
    this.wait = wait;
    this.serverMessage = serverMessage;
    this.requestId = requestId;
  }

  TransientFailure(java.io.IOException cause) {
    super(ServerText.oneLine(String.valueOf(cause.getMessage()), ServerText.MAX_MESSAGE), cause, false, false);
    this.status = 0;
    this.rateLimited = false;
    this.wait = null;
    this.serverMessage = ServerText.oneLine(String.valueOf(cause.getMessage()), ServerText.MAX_MESSAGE);
    this.requestId = "";
  }

  /** Whether GitHub may have carried the request out: no answer, or a 5xx other than 503. */
  boolean mayHaveApplied() {
    return !rateLimited && (status == 0 || (status >= 500 && status != 503));
  }

  String describe() {
    if (status == 0) {
      return "no answer (" + serverMessage + ")";
    }
    return (rateLimited ? "rate limited, status " : "status ") + status + (serverMessage.isEmpty() ? "" : ": " + serverMessage);
  }
}
