package dev.lifeboat;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a database or a snapshot store lives: {@code postgresql://…}, {@code jdbc:postgresql://…},
 * {@code mongodb+srv://…}, {@code neon://project/branch}, {@code file:/backups} or a plain path.
 *
 * <p>A location may carry a password. {@link #toString()} and {@link #redacted()} never show it;
 * only {@link #raw()} does, for the provider that has to connect.
 */
public final class Location {
  private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.\\-]*):(.*)$", Pattern.DOTALL);
  // The password runs to the last '@' of the authority, so an unencoded '@' in it is removed too.
  private static final Pattern USER_PASSWORD = Pattern.compile("(//[^/@:?#\\s]*):[^/?#\\s]*@");
  // A password typed with an unencoded '/', '?' or '#' (which no URI parser reads as one): what
  // follows the colon is not a port, so it is removed up to the '@'.
  private static final Pattern UNENCODED_PASSWORD = Pattern.compile("(//[^/@:?#\\s]*):(?!\\d*(?:[/?#,\\s]|$))[^@\\s]*@");
  // The password of one location, to the last '@' of its authority; spaces included, since a
  // location is one word and PostgreSQL's and MongoDB's drivers take a password typed with them.
  private static final Pattern USER_INFO_PASSWORD = Pattern.compile("//[^/@:?#\\s]*:([^/?#]*)@");
  private static final Pattern SECRET_PARAM =
      Pattern.compile("(?i)([?&;](?:password|pass|pwd|secret|token|api_?key|sslpassword)=)[^&;#]*");

  private final String raw;
  private final String scheme;
  private final String body;

  private Location(String raw, String scheme, String body) {
    this.raw = raw;
    this.scheme = scheme;
    this.body = body;
  }

  /**
   * Parses a location. Text without a scheme (or with a one-letter one, like a drive) is a file
   * path. {@code jdbc:} is dropped when deciding the scheme, so {@code jdbc:postgresql://h/db} has
   * scheme {@code postgresql}.
   */
  public static Location parse(String text) {
    Objects.requireNonNull(text, "location");
    String trimmed = text.trim();
    if (trimmed.isEmpty()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "A location is empty. Pass a URI such as postgresql://host/db or file:/backups.");
    }
    String rest = trimmed;
    if (rest.regionMatches(true, 0, "jdbc:", 0, 5)) {
      rest = rest.substring(5);
    }
    Matcher m = SCHEME.matcher(rest);
    Location location = m.matches() && m.group(1).length() > 1
        ? new Location(trimmed, m.group(1).toLowerCase(Locale.ROOT), m.group(2))
        : new Location(trimmed, "file", trimmed);
    location.password().ifPresent(Redactor::register);
    return location;
  }

  /** A file location for a local folder. */
  public static Location of(Path path) {
    return parse("file:" + path.toAbsolutePath());
  }

  /** The scheme, lower case, without {@code jdbc:}: {@code postgresql}, {@code file}, {@code neon}. */
  public String scheme() {
    return scheme;
  }

  /** Everything after {@code scheme:}. May contain secrets. */
  public String schemeSpecificPart() {
    return body;
  }

  /** The text as given, secrets included. Use it to connect; never log it. */
  public String raw() {
    return raw;
  }

  /** The text as given, minus {@code jdbc:}, secrets included. */
  public String withoutJdbcPrefix() {
    return raw.regionMatches(true, 0, "jdbc:", 0, 5) ? raw.substring(5) : raw;
  }

  /** This location as a {@link URI}, when it parses as one (multi-host MongoDB URIs may not). */
  public Optional<URI> uri() {
    try {
      return Optional.of(new URI(withoutJdbcPrefix()));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /**
   * The text with any password and secret query parameter removed. Safe to log and store. The
   * password is cut out as {@link #password()} finds it first: in one location a space belongs to
   * the password (drivers take {@code app:my pass@host}), which {@link #redact(String)}, written
   * for free text, does not assume.
   */
  public String redacted() {
    Matcher m = USER_INFO_PASSWORD.matcher(raw);
    return redact(m.find() ? raw.substring(0, m.start(1) - 1) + raw.substring(m.end(1)) : raw);
  }

  /** Removes passwords and secret query parameters from any URI-like text. */
  public static String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = USER_PASSWORD.matcher(text).replaceAll("$1@");
    out = UNENCODED_PASSWORD.matcher(out).replaceAll("$1@");
    return SECRET_PARAM.matcher(out).replaceAll("$1***");
  }

  /** The password in the user-info part, if there is one (URL-decoded). */
  public Optional<String> password() {
    Matcher m = USER_INFO_PASSWORD.matcher(raw);
    if (!m.find()) {
      return Optional.empty();
    }
    String encoded = m.group(1);
    Redactor.register(encoded);
    try {
      // Percent-decoding only: in a URI's user-info '+' is a plus sign, not a space.
      return Optional.of(java.net.URLDecoder.decode(encoded.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      // The decoder's message quotes the bad escape, which is part of the password: say only what to do.
      throw new LifeboatException(ErrorCode.CONFIGURATION, "The password in " + redact(raw)
          + " has a malformed %-escape. Percent-encode '%' as %25 (or pass the password in the environment).");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Location && ((Location) o).raw.equals(raw);
  }

  @Override
  public int hashCode() {
    return raw.hashCode();
  }

  /** The redacted text. */
  @Override
  public String toString() {
    return redacted();
  }
}
