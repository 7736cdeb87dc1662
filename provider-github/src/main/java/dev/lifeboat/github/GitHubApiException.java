package dev.lifeboat.github;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;

/**
 * GitHub answered with an error status that no retry helps. The message names the call, the
 * status, GitHub's {@code message} (made safe by {@link ServerText}) and what to do.
 */
public final class GitHubApiException extends LifeboatException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String errorCode;
  private final String serverMessage;

  GitHubApiException(ErrorCode code, String message, int status, String errorCode, String serverMessage) {
    super(code, message);
    this.status = status;
    this.errorCode = errorCode;
    this.serverMessage = serverMessage;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The first {@code errors[].code} of a 422 ({@code already_exists}, {@code invalid}), or empty. */
  public String errorCode() {
    return errorCode;
  }

  /** GitHub's {@code message}, made safe to show. */
  public String serverMessage() {
    return serverMessage;
  }

  /** Whether this is the 422 {@code already_exists} of a tag or an asset name. */
  boolean alreadyExists() {
    return status == 422 && errorCode.equals("already_exists");
  }
}
