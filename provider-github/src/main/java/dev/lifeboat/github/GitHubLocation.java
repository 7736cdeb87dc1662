package dev.lifeboat.github;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import java.util.regex.Pattern;

/**
 * A parsed {@code github-release://OWNER/REPO} location: the repository whose releases hold the
 * snapshots. It takes no parameters and never holds the token (that comes from
 * {@code GITHUB_TOKEN} or {@code GH_TOKEN}), so a location with user information is refused.
 *
 * @param owner the user or organization
 * @param repo the repository's name
 */
record GitHubLocation(String owner, String repo) {
  static final String SCHEME = "github-release";
  private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})");
  private static final Pattern REPO = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  /** Parses a {@code github-release:} location; a malformed one is a {@code CONFIGURATION} error (exit 2). */
  static GitHubLocation parse(Location location) {
    if (!SCHEME.equals(location.scheme())) {
      throw bad(location, "the scheme is not github-release:");
    }
    String body = location.schemeSpecificPart();
    if (!body.startsWith("//")) {
      throw bad(location, "it lacks '//' before the owner");
    }
    body = body.substring(2);
    if (body.contains("?") || body.contains("#")) {
      throw bad(location, "it has parameters, and a GitHub Releases target takes none");
    }
    if (body.contains("@")) {
      // Never echo what came before the '@': it is most likely a token.
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "The GitHub Releases location holds credentials before '@'. Remove them and set GITHUB_TOKEN (or GH_TOKEN) instead: "
              + "github-release://OWNER/REPO.");
    }
    while (body.endsWith("/")) {
      body = body.substring(0, body.length() - 1);
    }
    String[] parts = body.split("/", -1);
    if (parts.length != 2) {
      throw bad(location, "it must name exactly an owner and a repository");
    }
    if (!OWNER.matcher(parts[0]).matches()) {
      throw bad(location, "'" + parts[0] + "' is not a GitHub user or organization name");
    }
    if (!REPO.matcher(parts[1]).matches() || parts[1].equals(".") || parts[1].equals("..")) {
      throw bad(location, "'" + parts[1] + "' is not a GitHub repository name");
    }
    String repo = parts[1].endsWith(".git") ? parts[1].substring(0, parts[1].length() - 4) : parts[1];
    return new GitHubLocation(parts[0], repo);
  }

  /** {@code OWNER/REPO}. */
  String fullName() {
    return owner + "/" + repo;
  }

  @Override
  public String toString() {
    return SCHEME + "://" + fullName();
  }

  private static LifeboatException bad(Location location, String why) {
    return new LifeboatException(ErrorCode.CONFIGURATION,
        "Cannot read the GitHub Releases location " + location + ": " + why + ". Write github-release://OWNER/REPO, e.g. github-release://acme/shop-backups.");
  }
}
