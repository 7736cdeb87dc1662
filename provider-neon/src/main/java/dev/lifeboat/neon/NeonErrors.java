package dev.lifeboat.neon;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import java.util.List;

/**
 * Turns what Neon answered into one line that names the call, the status, Neon's code, message
 * and request id, and says what to do about it, with the {@link ErrorCode} that gives the
 * documented exit status. Every text it is given is already made safe ({@link ServerText}).
 */
final class NeonErrors {
  private final String apiUrl;

  /** @param apiUrl the API base, named (redacted) when Neon cannot be reached */
  NeonErrors(String apiUrl) {
    this.apiUrl = apiUrl;
  }

  /** An error status that no retry can help. */
  NeonApiException answered(NeonCall call, int status, String code, String message, String requestId, int attempts,
      boolean earlierMayHaveApplied) {
    String what = "Neon API " + call.method() + " " + call.path() + " answered " + status
        + (code.isEmpty() ? "" : " " + code) + ": " + message + " (request id " + requestId + ")";
    ErrorCode errorCode;
    String hint;
    List<String> segments = call.segments();
    String project = segments.size() > 1 && segments.get(0).equals("projects") ? segments.get(1) : null;
    if (code.endsWith("BRANCHES_LIMIT_EXCEEDED")) {
      errorCode = ErrorCode.QUOTA_EXCEEDED;
      hint = "The project has as many branches as its plan allows; delete old branches (lifeboat prune) or raise the plan.";
    } else if (status == 401) {
      errorCode = ErrorCode.AUTHENTICATION;
      hint = "Neon refused the API key: set NEON_API_KEY (or neon.apiKey) to a current key from the Neon console "
          + "(Account or Organization settings, API keys); a revoked or mistyped key gets this answer.";
    } else if (status == 403) {
      errorCode = ErrorCode.AUTHENTICATION;
      hint = "The API key is valid but may not do this" + (project == null ? "" : " on project " + project)
          + ": use a key of an account or organization that can (a project-scoped key only reaches its own project).";
    } else if (status == 404) {
      errorCode = ErrorCode.NOT_FOUND;
      hint = notFoundHint(segments);
    } else if (status == 409) {
      errorCode = ErrorCode.CONFIGURATION;
      hint = "It conflicts with the project as it is now (e.g. a branch of that name already exists); Neon changed nothing. "
          + "Choose another name, or delete what is in the way first.";
    } else if (status == 412) {
      errorCode = ErrorCode.CONFIGURATION;
      hint = "The project does not store role passwords; pass the connection string's password another way.";
    } else if (status >= 500) {
      errorCode = ErrorCode.REMOTE_API;
      hint = call.read() ? "Neon could not answer; try again later." : "Neon may have applied the change; check the project before trying again.";
    } else {
      errorCode = ErrorCode.REMOTE_API;
      hint = "Neon refused the request and changed nothing; check the names, instants and options given and try again.";
    }
    return new NeonApiException(errorCode, what + ". " + hint, status, code, requestId, attempts, earlierMayHaveApplied);
  }

  /** What to check when Neon says a path does not exist, by what the path names. */
  static String notFoundHint(List<String> segments) {
    if (segments.size() < 2 || !segments.get(0).equals("projects")) {
      return "Check neon.apiUrl / NEON_API_URL: it must be the API base, e.g. " + NeonSettings.DEFAULT_API_URL + ".";
    }
    String p = segments.get(1);
    String project = "Check the project id in neon://" + p + " and that the API key belongs to the account or organization that owns it";
    if (segments.size() == 2) {
      return "Neon project " + p + " does not exist or the API key cannot see it. " + project + ".";
    }
    String kind = segments.get(2);
    if (segments.size() >= 6 && kind.equals("branches") && segments.get(4).equals("roles")) {
      return "Branch " + segments.get(3) + " has no role '" + segments.get(5) + "'. Name an existing role in the location (neon://" + p
          + "/BRANCH?role=NAME), or leave it out for the database's owner.";
    }
    if (segments.size() >= 4 && kind.equals("branches")) {
      return "Neon project " + p + " has no branch " + segments.get(3) + " (or the project itself is not there). List the branches with "
          + "'lifeboat branch list --on neon://" + p + "'. " + project + ".";
    }
    if (segments.size() >= 4 && kind.equals("operations")) {
      return "Neon no longer knows operation " + segments.get(3) + " of project " + p + "; look at the project in the Neon console.";
    }
    return "Neon project " + p + " does not exist or the API key cannot see it. " + project + ".";
  }

  /**
   * A transient failure that outlasted the retries (or whose {@code Retry-After} did not fit in
   * what was left of {@code neon.retry.maxTime} before {@code deadline}).
   */
  LifeboatException gaveUp(NeonCall call, TransientFailure t, int attempts, long deadline) {
    String tries = attempts + (attempts == 1 ? " attempt" : " attempts");
    if (t.connectionFailure()) {
      return new LifeboatException(ErrorCode.CONNECTION,
          "Cannot reach the Neon API at " + Location.redact(apiUrl) + " (" + call.method() + " " + call.path() + ", "
              + tries + "): " + t.neonMessage + ". Check the network and neon.apiUrl / NEON_API_URL.", t.getCause());
    }
    String hint;
    if (t.retryAfter != null && !NeonRetry.fitsBefore(t.retryAfter, deadline)) {
      hint = "Neon asked to wait " + t.retryAfter.toSeconds() + " s, longer than neon.retry.maxTime allows; try again later or raise it.";
    } else if (t.status == 423) {
      hint = "Another operation is running on the project; try again when it has finished, or raise neon.retry.maxAttempts / neon.retry.maxTime.";
    } else if (t.rateLimited()) {
      hint = "Neon's rate limit was reached (about 700 requests a minute per account); wait a minute and try again, or raise neon.retry.maxTime.";
    } else if (t.mayHaveApplied() && !call.read()) {
      hint = "Neon may have applied the change; check the project before trying again.";
    } else {
      hint = "Neon is unavailable; try again later (Neon's status page tells when it is back), or raise neon.retry.maxAttempts.";
    }
    return new NeonApiException(ErrorCode.REMOTE_API,
        "Neon API " + call.method() + " " + call.path() + " still answered " + t.status + (t.neonCode.isEmpty() ? "" : " " + t.neonCode)
            + ": " + t.neonMessage + " (request id " + t.requestId + ") after " + tries + ". " + hint,
        t.status, t.neonCode, t.requestId, attempts, t.mayHaveApplied());
  }
}
