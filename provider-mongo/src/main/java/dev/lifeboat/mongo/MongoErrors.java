package dev.lifeboat.mongo;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;

/** Turns driver exceptions into {@link LifeboatException}s with messages free of secrets. */
final class MongoErrors {
  private MongoErrors() {}

  /**
   * Wraps {@code e}, which happened while doing {@code what} against {@code uri} (a {@link MongoUri} or redacted text); {@code fallback} is
   * the code when it is neither a connection nor an authentication problem.
   */
  static LifeboatException wrap(RuntimeException e, String what, Object uri, ErrorCode fallback) {
    if (e instanceof LifeboatException le) {
      return le;
    }
    String detail = Location.redact(String.valueOf(e.getMessage()));
    if (e instanceof MongoSecurityException
        || (e instanceof MongoCommandException mce && (mce.getErrorCode() == 18 || mce.getErrorCode() == 13))) {
      return new LifeboatException(ErrorCode.AUTHENTICATION, what + " on " + uri + " was refused: " + detail
          + ". Check the user and password (in the URI or the MONGODB_USERNAME / MONGODB_PASSWORD secrets) and the user's roles.", e);
    }
    if (e instanceof MongoTimeoutException || e instanceof MongoSocketException) {
      return new LifeboatException(ErrorCode.CONNECTION, what + ": cannot reach " + uri + " (" + detail
          + "). Check the host, port and network access.", e);
    }
    return new LifeboatException(fallback, what + " on " + uri + " failed: " + detail, e);
  }
}
