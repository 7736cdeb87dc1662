package dev.lifeboat.neon;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed {@code neon://PROJECT_ID[/BRANCH][?database=…&role=…]} location. The branch is a name
 * (it may contain {@code /}, percent-encoded or not) or a {@code br-…} id.
 *
 * @param projectId the Neon project id
 * @param branch the branch name or id, or {@code null} for the project itself
 * @param database the database to dump or restore, or {@code null} to pick the branch's only one
 * @param role the role to connect as, or {@code null} for the database's owner
 */
record NeonLocation(String projectId, String branch, String database, String role) {
  private static final Pattern PROJECT_ID = Pattern.compile("[a-z0-9-]{1,60}");

  /** Parses a {@code neon:} location; a malformed one is a {@code CONFIGURATION} error. */
  public static NeonLocation parse(Location location) {
    if (!"neon".equals(location.scheme())) {
      throw bad(location, "the scheme is not neon:");
    }
    String body = location.schemeSpecificPart();
    if (!body.startsWith("//")) {
      throw bad(location, "it lacks '//' before the project id");
    }
    body = body.substring(2);
    String query = null;
    int q = body.indexOf('?');
    if (q >= 0) {
      query = body.substring(q + 1);
      body = body.substring(0, q);
    }
    int slash = body.indexOf('/');
    String project = slash < 0 ? body : body.substring(0, slash);
    String branch = slash < 0 ? null : decode(body.substring(slash + 1));
    if (branch != null && branch.endsWith("/")) {
      branch = branch.substring(0, branch.length() - 1);
    }
    if (branch != null && branch.isEmpty()) {
      branch = null;
    }
    if (!PROJECT_ID.matcher(project).matches()) {
      throw bad(location, "'" + project + "' is not a Neon project id (lower-case letters, digits and '-', e.g. shiny-wind-028834)");
    }
    String database = null;
    String role = null;
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        switch (key) {
          case "database", "dbname" -> database = value.isEmpty() ? null : value;
          case "role", "user" -> role = value.isEmpty() ? null : value;
          default -> throw bad(location, "the parameter '" + key + "' is unknown (use database= and role=)");
        }
      }
    }
    return new NeonLocation(project, branch, database, role);
  }

  /** The branch, or a {@code CONFIGURATION} error saying that one is needed. */
  public String requireBranch(String what) {
    if (branch == null) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "neon://" + projectId + " names a project, but " + what + " needs a branch: neon://" + projectId + "/BRANCH (e.g. neon://"
              + projectId + "/main).");
    }
    return branch;
  }

  /** The branch, when one is named. */
  public Optional<String> branchName() {
    return Optional.ofNullable(branch);
  }

  /** {@code neon://project}. */
  public String projectUri() {
    return "neon://" + projectId;
  }

  /** This location as text (it holds no secrets). */
  public String uri() {
    StringBuilder sb = new StringBuilder(projectUri());
    if (branch != null) {
      sb.append('/').append(branch);
    }
    String sep = "?";
    if (database != null) {
      sb.append(sep).append("database=").append(URLEncoder.encode(database, StandardCharsets.UTF_8));
      sep = "&";
    }
    if (role != null) {
      sb.append(sep).append("role=").append(URLEncoder.encode(role, StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  /** A location for another branch of the same project. */
  public NeonLocation withBranch(String name) {
    return new NeonLocation(projectId, name, database, role);
  }

  @Override
  public String toString() {
    return uri();
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static LifeboatException bad(Location location, String why) {
    return new LifeboatException(ErrorCode.CONFIGURATION,
        "Cannot read the Neon location " + location + ": " + why + ". Write neon://PROJECT_ID for a project or neon://PROJECT_ID/BRANCH[?database=DB&role=ROLE] for a branch.");
  }
}
