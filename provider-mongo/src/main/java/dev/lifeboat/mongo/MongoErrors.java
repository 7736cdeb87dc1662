package dev.lifeboat.mongo;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.connection.ClusterDescription;
import com.mongodb.connection.ServerDescription;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Redactor;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns driver exceptions into {@link LifeboatException}s with one-line messages free of secrets.
 * Every driver text goes through {@link Redactor} here, before it is put in a message, since a
 * driver message may echo a connection string or a server's answer.
 */
final class MongoErrors {
  private static final int MAX_SERVERS_NAMED = 3;

  private MongoErrors() {}

  /**
   * Wraps {@code e}, which happened while doing {@code what} against {@code uri} (a {@link MongoUri} or redacted text); {@code fallback} is
   * the code when it is neither a connection nor an authentication problem.
   */
  static LifeboatException wrap(RuntimeException e, String what, Object uri, ErrorCode fallback) {
    if (e instanceof LifeboatException le) {
      return le;
    }
    String detail = text(e);
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

  /**
   * The error for a deployment that no server of answered within {@code timeoutMs}: one line
   * naming the hosts (or the SRV name) and, from what the driver saw, why each failed.
   */
  static LifeboatException unreachable(MongoUri uri, ClusterDescription seen, long timeoutMs, MongoTimeoutException e) {
    String why;
    if (seen.getSrvResolutionException() != null) {
      why = "the DNS lookup of its SRV record _mongodb._tcp." + uri.hosts().get(0) + " failed: "
          + rootCause(seen.getSrvResolutionException());
    } else {
      List<String> failures = new ArrayList<>();
      for (ServerDescription server : seen.getServerDescriptions()) {
        if (server.getException() != null && failures.size() < MAX_SERVERS_NAMED) {
          failures.add(server.getAddress() + ": " + reason(server.getException()));
        }
      }
      int more = (int) seen.getServerDescriptions().stream().filter(s -> s.getException() != null).count() - failures.size();
      why = failures.isEmpty() ? "no server answered" : String.join("; ", failures) + (more > 0 ? "; " + more + " more" : "");
    }
    return new LifeboatException(ErrorCode.CONNECTION, "Cannot reach MongoDB " + uri + " within " + timeoutMs + " ms (" + why
        + "). Check the host name, port and network access; the setting " + MongoSettings.SERVER_SELECTION_TIMEOUT_MS
        + " sets how long to wait.", e);
  }

  /** Why connecting failed, in a few words: the usual socket failures by name, else the root cause's text. */
  private static String reason(Throwable failure) {
    Throwable root = root(failure);
    if (root instanceof ConnectException) {
      return "connection refused";
    }
    if (root instanceof UnknownHostException) {
      return "unknown host";
    }
    if (root instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (root instanceof SocketTimeoutException) {
      return "no answer (timed out)";
    }
    return rootCause(failure);
  }

  private static String rootCause(Throwable failure) {
    Throwable root = root(failure);
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return text(message);
  }

  private static Throwable root(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  /** A driver exception's message on one line, secrets removed. */
  static String text(Throwable e) {
    return text(String.valueOf(e.getMessage()));
  }

  /** Driver text on one line, secrets removed. */
  static String text(String message) {
    return Redactor.redact(message.replaceAll("\\s+", " ").trim());
  }
}
