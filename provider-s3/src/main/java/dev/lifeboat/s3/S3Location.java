package dev.lifeboat.s3;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An {@code s3://BUCKET/PREFIX?endpoint=URL&region=R&path-style=true|false&storage-class=C&sse=aws:kms|AES256&kms-key-id=K}
 * location, parsed and checked before any request. Credentials never come from the location: a
 * user-info part or a credential-like parameter is refused (they come from the AWS SDK's default
 * chain), and so is any parameter this store does not know, so a misspelt one never goes unnoticed.
 *
 * @param bucket the bucket name
 * @param prefix the key prefix, without leading or trailing {@code /}; empty for the bucket's root
 * @param endpoint the endpoint of an S3-compatible server, or empty for Amazon S3
 * @param region the signing region, or empty to find it (Amazon S3) or use {@code us-east-1} (others)
 * @param pathStyle whether requests address the bucket in the path rather than the host name
 * @param storageClass the storage class of uploaded objects, or empty for the bucket's default
 * @param sse server-side encryption ({@code AES256} or {@code aws:kms}), or empty
 * @param kmsKeyId the KMS key of {@code sse=aws:kms}, or empty for the account's default key
 */
public record S3Location(String bucket, String prefix, Optional<URI> endpoint, Optional<String> region, boolean pathStyle,
    Optional<String> storageClass, Optional<String> sse, Optional<String> kmsKeyId) {

  /** The query parameters an {@code s3://} location may carry. */
  public static final Set<String> PARAMETERS = Set.of("endpoint", "region", "path-style", "storage-class", "sse", "kms-key-id");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]");
  private static final Pattern CREDENTIAL_PARAMETER =
      Pattern.compile("(?i).*(access|secret|session|token|password|credential|key-?id|akid|signature).*");
  private static final Set<String> STORAGE_CLASSES = Set.of("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA",
      "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR", "OUTPOSTS", "SNOW", "EXPRESS_ONEZONE");

  /** Parses {@code location}; a {@link LifeboatException} with {@link ErrorCode#CONFIGURATION} (exit 2) says what is wrong. */
  public static S3Location parse(Location location) {
    String body = location.schemeSpecificPart();
    if (!"s3".equals(location.scheme()) || !body.startsWith("//")) {
      throw bad(location, "is not an S3 location. Use s3://BUCKET/PREFIX.");
    }
    String rest = body.substring(2);
    int q = rest.indexOf('?');
    String query = q < 0 ? "" : rest.substring(q + 1);
    String path = q < 0 ? rest : rest.substring(0, q);
    int hash = path.indexOf('#');
    if (hash >= 0 || query.contains("#")) {
      throw bad(location, "has a '#' fragment, which an S3 location cannot have. Percent-encode it or remove it.");
    }
    int slash = path.indexOf('/');
    String authority = slash < 0 ? path : path.substring(0, slash);
    if (authority.contains("@")) {
      // Said without quoting the location: what stands before '@' is a key id and a secret.
      throw new LifeboatException(ErrorCode.CONFIGURATION, "The S3 location carries credentials (a 'KEY:SECRET@' part). "
          + "Remove them: Lifeboat reads S3 credentials only from the AWS default chain "
          + "(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, web identity, instance role).");
    }
    String bucket = authority;
    if (bucket.isEmpty()) {
      throw bad(location, "names no bucket. Use s3://BUCKET/PREFIX.");
    }
    if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
      throw bad(location, "names '" + bucket + "', which is not a valid bucket name (3-63 lower-case letters, digits, '.' and '-').");
    }
    String prefix = slash < 0 ? "" : path.substring(slash + 1).replaceAll("/+$", "");
    if (prefix.startsWith("/") || prefix.contains("//")) {
      throw bad(location, "has an empty path segment ('//'). Use s3://BUCKET/PREFIX with single slashes.");
    }
    Map<String, String> params = parameters(location, query);
    Optional<URI> endpoint = Optional.ofNullable(params.get("endpoint")).map(e -> endpoint(location, e));
    Optional<String> region = Optional.ofNullable(params.get("region")).map(r -> {
      if (!r.matches("[a-z0-9][a-z0-9\\-]*")) {
        throw bad(location, "has region '" + r + "', which is not a region name such as eu-west-1 (or auto).");
      }
      return r;
    });
    boolean pathStyle = Optional.ofNullable(params.get("path-style")).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw bad(location, "has path-style=" + v + "; use path-style=true or path-style=false.");
    }).orElse(endpoint.isPresent());
    Optional<String> storageClass = Optional.ofNullable(params.get("storage-class")).map(c -> {
      String upper = c.toUpperCase(Locale.ROOT);
      if (!STORAGE_CLASSES.contains(upper)) {
        throw bad(location, "has storage-class=" + c + "; use one of " + String.join(", ", new java.util.TreeSet<>(STORAGE_CLASSES)) + ".");
      }
      return upper;
    });
    Optional<String> sse = Optional.ofNullable(params.get("sse")).map(s -> switch (s) {
      case "AES256", "aws:kms", "aws:kms:dsse" -> s;
      default -> throw bad(location, "has sse=" + s + "; use sse=AES256 or sse=aws:kms (with kms-key-id=… for a key of your own).");
    });
    Optional<String> kmsKeyId = Optional.ofNullable(params.get("kms-key-id"));
    if (kmsKeyId.isPresent() && !sse.map(s -> s.startsWith("aws:kms")).orElse(false)) {
      throw bad(location, "has kms-key-id without sse=aws:kms. Add sse=aws:kms.");
    }
    return new S3Location(bucket, prefix, endpoint, region, pathStyle, storageClass, sse, kmsKeyId);
  }

  /** Whether the endpoint is Amazon S3's own (no endpoint, or a host under amazonaws.com). */
  public boolean isAws() {
    return endpoint.map(e -> {
      String host = e.getHost() == null ? "" : e.getHost().toLowerCase(Locale.ROOT);
      return host.endsWith(".amazonaws.com") || host.endsWith(".amazonaws.com.cn");
    }).orElse(true);
  }

  /** The object key of {@code blobKey}: the prefix, a slash, the blob's key. */
  String objectKey(String blobKey) {
    return prefix.isEmpty() ? blobKey : prefix + "/" + blobKey;
  }

  /** The blob key of {@code objectKey}, which starts with {@link #keyPrefix()}. */
  String blobKey(String objectKey) {
    return objectKey.substring(keyPrefix().length());
  }

  /** What every object key of this store starts with: the prefix and a slash, or nothing. */
  String keyPrefix() {
    return prefix.isEmpty() ? "" : prefix + "/";
  }

  /** {@code s3://bucket/prefix} with the endpoint's host, for messages. */
  public String describe() {
    return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix) + endpoint.map(e -> " at " + e).orElse("");
  }

  private static Map<String, String> parameters(Location location, String query) {
    Map<String, String> out = new LinkedHashMap<>();
    if (query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(location, eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
      String value = eq < 0 ? "" : decode(location, pair.substring(eq + 1));
      if (!PARAMETERS.contains(name)) {
        if (CREDENTIAL_PARAMETER.matcher(name).matches()) {
          throw new LifeboatException(ErrorCode.CONFIGURATION, "The S3 location carries a credential parameter ('" + name
              + "'). Remove it: Lifeboat reads S3 credentials only from the AWS default chain "
              + "(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, web identity, instance role).");
        }
        throw bad(location, "has an unknown parameter '" + name + "'. Known: " + String.join(", ", new java.util.TreeSet<>(PARAMETERS)) + ".");
      }
      if (value.isBlank()) {
        throw bad(location, "has an empty " + name + "=. Give it a value or remove it.");
      }
      if (out.put(name, value) != null) {
        throw bad(location, "gives " + name + " twice. Keep one.");
      }
    }
    return out;
  }

  private static URI endpoint(Location location, String text) {
    try {
      URI uri = new URI(text);
      if (uri.getScheme() == null || !Set.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
          || uri.getHost() == null) {
        throw bad(location, "has endpoint=" + text + ", which is not an http:// or https:// URL with a host, e.g. endpoint=https://minio.example.com:9000.");
      }
      if (uri.getRawUserInfo() != null) {
        throw new LifeboatException(ErrorCode.CONFIGURATION,
            "The S3 endpoint carries credentials (a 'KEY:SECRET@' part). Remove them: Lifeboat reads S3 credentials only from the AWS default chain.");
      }
      if (uri.getRawQuery() != null || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))) {
        throw bad(location, "has endpoint=" + text + " with a path or query; give only scheme, host and port.");
      }
      return new URI(uri.getScheme().toLowerCase(Locale.ROOT), null, uri.getHost(), uri.getPort(), null, null, null);
    } catch (URISyntaxException e) {
      throw bad(location, "has endpoint=" + text + ", which is not a URL (" + e.getReason() + ").");
    }
  }

  private static String decode(Location location, String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw bad(location, "has a malformed %-escape in its parameters.");
    }
  }

  private static LifeboatException bad(Location location, String what) {
    return new LifeboatException(ErrorCode.CONFIGURATION, "S3 location " + location.redacted() + " " + what);
  }
}
