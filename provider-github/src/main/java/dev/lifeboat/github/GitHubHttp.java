package dev.lifeboat.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.lifeboat.Durations;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Json;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests to the GitHub REST API and its upload host, and reads their answers: the one
 * place that speaks HTTP and the only one that adds the token.
 *
 * <ul>
 *   <li>The token goes only to the API base's host and to the upload URL GitHub itself handed out;
 *       redirects are never followed automatically, and a download's redirect to the asset host is
 *       fetched without it.
 *   <li>Rate-limit answers (429, or 403 saying so) are waited out: {@code retry-after} when given,
 *       else until {@code x-ratelimit-reset} when {@code x-ratelimit-remaining} is 0, else
 *       {@code github.retry.rateLimitPause} doubling per retry; all within
 *       {@code github.retry.maxTime}. 5xx and lost answers are retried only for calls that are
 *       safe to resend. Calls that create content are paced ({@link CreationPacer}).
 *   <li>Every other error is one {@link GitHubApiException} carrying GitHub's {@code message},
 *       made safe by {@link ServerText}.
 * </ul>
 *
 * <p>Thread-safe.
 */
final class GitHubHttp {
  private static final Logger LOG = LoggerFactory.getLogger(GitHubHttp.class);
  static final String API_VERSION = "2022-11-28";
  private static final MediaType JSON = MediaType.get("application/json");
  private static final MediaType OCTETS = MediaType.get("application/octet-stream");
  private static final Pattern LINK_NEXT = Pattern.compile("<([^>]+)>\\s*;[^,]*\\brel=\"?next\"?");
  private static final int MAX_REDIRECTS = 5;

  /** An answer: status, parsed JSON body (missing when empty), headers. */
  record Answer(int status, JsonNode body, Headers headers) {}

  private final OkHttpClient http;
  private final HttpUrl base;
  private final GitHubSettings settings;
  private final CreationPacer pacer;

  GitHubHttp(GitHubSettings settings, OkHttpClient shared) {
    this(settings, shared, CreationPacer.shared(settings.pacePerMinute(), settings.pacePerHour()));
  }

  GitHubHttp(GitHubSettings settings, OkHttpClient shared, CreationPacer pacer) {
    HttpUrl parsed = HttpUrl.parse(settings.apiUrl());
    if (parsed == null) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "The GitHub API URL '" + Location.redact(settings.apiUrl()) + "' is not an http(s) URL. Fix github.apiUrl or GITHUB_API_URL.");
    }
    this.base = parsed;
    this.settings = settings;
    this.pacer = pacer;
    this.http = shared.newBuilder().followRedirects(false).followSslRedirects(false)
        // An upload's answer comes once GitHub has stored the whole asset.
        .readTimeout(5, TimeUnit.MINUTES).build();
  }

  /** {@code BASE/seg/seg…}, each segment encoded. */
  HttpUrl api(String... segments) {
    HttpUrl.Builder b = base.newBuilder();
    for (String s : segments) {
      b.addPathSegment(s);
    }
    return b.build();
  }

  /** A JSON call with retries; a transient failure that outlasts them is a {@link LifeboatException}. */
  JsonNode call(String method, HttpUrl url, JsonNode body, boolean safeToResend) {
    return answer(method, url, body, safeToResend).body();
  }

  /** As {@link #call}, with the status and headers. */
  Answer answer(String method, HttpUrl url, JsonNode body, boolean safeToResend) {
    String what = method + " " + url.encodedPath();
    try {
      return withRetries(what, safeToResend, () -> once(method, url, body == null ? null : RequestBody.create(Json.mapper().writeValueAsBytes(body), JSON)));
    } catch (TransientFailure t) {
      throw gaveUp(what, t);
    }
  }

  /**
   * Every item of a paged list, following the {@code Link} header's {@code rel="next"} until there
   * is none: {@code per_page} is only a maximum, so a short page is not the last. A next link to
   * another host is not followed (the token would go there), nor one seen before.
   */
  List<JsonNode> pages(HttpUrl first) {
    List<JsonNode> items = new ArrayList<>();
    Set<HttpUrl> seen = new HashSet<>();
    HttpUrl url = first;
    while (url != null && seen.add(url)) {
      Answer page = answer("GET", url, null, true);
      if (!page.body().isArray()) {
        throw new LifeboatException(ErrorCode.REMOTE_API, "GitHub API GET " + url.encodedPath() + " answered something that is not a list.");
      }
      page.body().forEach(items::add);
      url = next(page.headers());
      if (url != null && !sameOrigin(url, base)) {
        LOG.warn("GitHub's next page is on another host ({}); the listing stops there", url.host());
        url = null;
      }
    }
    return items;
  }

  /** The {@code rel="next"} URL of a {@code Link} header, or {@code null}. */
  static HttpUrl next(Headers headers) {
    for (String link : headers.values("Link")) {
      Matcher m = LINK_NEXT.matcher(link);
      if (m.find()) {
        return HttpUrl.parse(m.group(1));
      }
    }
    return null;
  }

  /**
   * One upload of {@code file} to {@code url} (the release's upload URL with {@code ?name=}), with
   * its {@code Content-Length}. Rate-limit answers are waited out; a 5xx or a lost answer is
   * thrown as {@link TransientFailure} (the asset may exist now: the caller checks), any other
   * error as {@link GitHubApiException}. {@code inFlight} receives the call, so that an abort
   * from another thread can cancel it.
   */
  JsonNode upload(HttpUrl url, Path file, AtomicReference<Call> inFlight) {
    String what = "POST " + url.encodedPath();
    return withRetries(what, false, () -> once("POST", url, RequestBody.create(file.toFile(), OCTETS), inFlight)).body();
  }

  /**
   * The bytes of the release asset at {@code assetUrl} ({@code …/releases/assets/ID}). GitHub
   * answers 200 with them or 302 to its asset host, which is fetched without the token (a signed
   * URL on another host). Errors before the first byte are retried (a download is safe to repeat).
   */
  InputStream download(HttpUrl assetUrl) {
    return download(assetUrl, 0);
  }

  /**
   * As {@link #download(HttpUrl)}, from byte {@code offset} on ({@code Range: bytes=offset-}, to
   * resume a download that was cut). A server that ignores the range and sends the whole asset
   * has the first {@code offset} bytes skipped.
   */
  InputStream download(HttpUrl assetUrl, long offset) {
    String what = "GET " + assetUrl.encodedPath();
    try {
      return withRetries(what, true, () -> downloadOnce(assetUrl, offset));
    } catch (TransientFailure t) {
      throw gaveUp(what, t);
    }
  }

  private InputStream downloadOnce(HttpUrl assetUrl, long offset) {
    HttpUrl url = assetUrl;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      boolean withToken = sameOrigin(url, base);
      Request.Builder rb = new Request.Builder().url(url).get().header("Accept", "application/octet-stream")
          .header("User-Agent", "lifeboat");
      if (withToken) {
        rb.header("Authorization", "Bearer " + settings.token()).header("X-GitHub-Api-Version", API_VERSION);
      }
      if (offset > 0) {
        rb.header("Range", "bytes=" + offset + "-");
      }
      Response response;
      try {
        response = http.newCall(rb.build()).execute();
      } catch (IOException e) {
        throw new TransientFailure(e);
      }
      int status = response.code();
      if (status == 200 || (status == 206 && offset > 0)) {
        InputStream in = response.body().byteStream();
        if (status == 200 && offset > 0) {
          try {
            in.skipNBytes(offset);
          } catch (IOException e) {
            response.close();
            throw new TransientFailure(e);
          }
        }
        return in;
      }
      try (response) {
        if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
          String location = response.header("Location");
          HttpUrl target = location == null ? null : url.resolve(location);
          if (target == null) {
            throw new LifeboatException(ErrorCode.TARGET_FAILED, "GitHub redirected the download of " + assetUrl.encodedPath() + " nowhere.");
          }
          LOG.debug("Asset download redirected to {} ({} the token)", target.host(), sameOrigin(target, base) ? "with" : "without");
          url = target;
          continue;
        }
        if (!withToken && status >= 400 && status < 500) {
          // The asset host refused the signed link GitHub redirected to: such links expire within
          // minutes (a download resumed after a wait), and another try asks GitHub for a fresh one.
          // Its answer is not shown: it may quote the link's signature.
          throw new TransientFailure(status, false, null, "the asset host refused the signed download link", "");
        }
        String text;
        try {
          text = bodyText(response);
        } catch (IOException e) {
          throw new TransientFailure(e);
        }
        throw failure("GET " + url.encodedPath(), response, text);
      }
    }
    throw new LifeboatException(ErrorCode.TARGET_FAILED, "The download of " + assetUrl.encodedPath() + " was redirected more than " + MAX_REDIRECTS + " times.");
  }

  private Answer once(String method, HttpUrl url, RequestBody body) {
    return once(method, url, body, null);
  }

  /** One attempt; a transient answer is thrown as {@link TransientFailure}, any other error as {@link GitHubApiException}. */
  private Answer once(String method, HttpUrl url, RequestBody body, AtomicReference<Call> inFlight) {
    if (!method.equals("GET")) {
      try {
        pacer.beforeCreatingCall();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LifeboatException(ErrorCode.ABORTED, "Interrupted while pacing calls to GitHub.", e);
      }
    }
    RequestBody sent = body;
    if (sent == null && !method.equals("GET") && !method.equals("DELETE")) {
      sent = RequestBody.create(new byte[0], null);
    }
    HttpUrl at = url;
    for (int hop = 0; ; hop++) {
      Request request = new Request.Builder().url(at).method(method, sent)
          .header("Authorization", "Bearer " + settings.token())
          .header("Accept", "application/vnd.github+json")
          .header("X-GitHub-Api-Version", API_VERSION)
          .header("User-Agent", "lifeboat")
          .build();
      Call call = http.newCall(request);
      if (inFlight != null) {
        inFlight.set(call);
      }
      try (Response response = call.execute()) {
        int status = response.code();
        String text = bodyText(response);
        LOG.debug("GitHub {} {} -> {} (request id {})", method, at.encodedPath(), status, response.header("X-GitHub-Request-Id"));
        if (status >= 200 && status < 300) {
          JsonNode parsed = text.isBlank() ? MissingNode.getInstance() : parse(text, method + " " + at.encodedPath());
          return new Answer(status, parsed, response.headers());
        }
        HttpUrl target = redirect(method, at, response, hop);
        if (target != null) {
          at = target;
          continue;
        }
        throw failure(method + " " + at.encodedPath(), response, text);
      } catch (IOException e) {
        throw new TransientFailure(e);
      } finally {
        if (inFlight != null) {
          inFlight.set(null);
        }
      }
    }
  }

  /**
   * Where a redirect of an API call leads, or {@code null} when {@code response} is none. GitHub
   * answers calls on a renamed or transferred repository with 301 (reads) or 307 (writes) to the
   * repository's new address, and clients are to follow them: they are followed on the same host,
   * with the same method and body (a 301/302 only for a GET), at most {@value #MAX_REDIRECTS}
   * times. A redirect to another host is refused, since the token would go with it.
   */
  private HttpUrl redirect(String method, HttpUrl from, Response response, int hop) {
    int status = response.code();
    boolean keepsMethod = status == 307 || status == 308;
    if (!keepsMethod && !((status == 301 || status == 302) && method.equals("GET"))) {
      return null;
    }
    String location = response.header("Location");
    HttpUrl target = location == null ? null : from.resolve(location);
    String what = "GitHub API " + method + " " + from.encodedPath();
    if (target == null) {
      throw new LifeboatException(ErrorCode.REMOTE_API, what + " answered " + status + " without a usable Location. Try again later.");
    }
    if (!sameOrigin(target, from)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, what + " was redirected to another host (" + target.host() + "), where"
          + " Lifeboat does not send the token. Check github.apiUrl / GITHUB_API_URL and the repository's name.");
    }
    if (hop >= MAX_REDIRECTS) {
      throw new LifeboatException(ErrorCode.REMOTE_API, what + " was redirected more than " + MAX_REDIRECTS + " times. Check the"
          + " repository's name.");
    }
    if (status == 301 || status == 308) {
      LOG.info("GitHub moved {} to {} (the repository was renamed or transferred): name it by its new name in the location",
          from.encodedPath(), target.encodedPath());
    }
    return target;
  }

  private static String bodyText(Response response) throws IOException {
    ResponseBody rb = response.body();
    return rb == null ? "" : rb.string();
  }

  private static JsonNode parse(String text, String what) {
    try {
      return Json.mapper().readTree(text);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.REMOTE_API,
          "GitHub API " + what + " answered with something that is not JSON: " + ServerText.oneLine(ServerText.withoutMarkup(text), 120));
    }
  }

  /** The error answer as a {@link TransientFailure} (rate limits, 5xx) or a {@link GitHubApiException}. */
  private RuntimeException failure(String what, Response response, String text) {
    int status = response.code();
    JsonNode error;
    try {
      error = Json.mapper().readTree(text);
    } catch (IOException | RuntimeException e) {
      error = MissingNode.getInstance();
    }
    if (error == null) {
      error = MissingNode.getInstance();
    }
    String message = ServerText.oneLine(error.path("message").isTextual() ? error.path("message").asText() : ServerText.withoutMarkup(text),
        ServerText.MAX_MESSAGE);
    if (message.isEmpty()) {
      message = "no error text";
    }
    String code = ServerText.oneLine(error.path("errors").path(0).path("code").asText(""), 60);
    String field = ServerText.oneLine(error.path("errors").path(0).path("field").asText(""), 60);
    String requestId = ServerText.oneLine(String.valueOf(response.header("X-GitHub-Request-Id", "")), 80);
    boolean rateLimited = status == 429 || (status == 403 && ("0".equals(response.header("x-ratelimit-remaining"))
        || response.header("retry-after") != null || message.toLowerCase(Locale.ROOT).contains("rate limit")));
    if (rateLimited) {
      return new TransientFailure(status, true, rateLimitWait(response.headers()), message, requestId);
    }
    if (status >= 500) {
      return new TransientFailure(status, false, Durations.retryAfter(response.header("retry-after")).orElse(null), message, requestId);
    }
    return answered(what, status, code, field, message, requestId);
  }

  /** What GitHub asked to wait: {@code retry-after}, else until {@code x-ratelimit-reset} when none is left, else {@code null}. */
  static Duration rateLimitWait(Headers headers) {
    Duration after = Durations.retryAfter(headers.get("retry-after")).orElse(null);
    if (after != null) {
      return after;
    }
    String reset = headers.get("x-ratelimit-reset");
    if ("0".equals(headers.get("x-ratelimit-remaining")) && reset != null) {
      try {
        Duration d = Duration.between(Instant.now(), Instant.ofEpochSecond(Long.parseLong(reset.trim()))).plusSeconds(1);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private GitHubApiException answered(String what, int status, String code, String field, String message, String requestId) {
    String line = "GitHub API " + what + " answered " + status + (code.isEmpty() ? "" : " " + code + (field.isEmpty() ? "" : " (" + field + ")"))
        + ": " + message + (requestId.isEmpty() ? "" : " (request id " + requestId + ")") + ".";
    ErrorCode errorCode;
    String hint;
    if (status == 401) {
      errorCode = ErrorCode.AUTHENTICATION;
      hint = " GitHub refused the token: set GITHUB_TOKEN (or GH_TOKEN) to a current token.";
    } else if (status == 403) {
      errorCode = ErrorCode.AUTHENTICATION;
      hint = " The token may not do this: it needs Contents read and write on the repository (fine-grained token), the repo scope "
          + "(classic token) or 'permissions: contents: write' (GitHub Actions).";
    } else if (status == 404) {
      errorCode = ErrorCode.NOT_FOUND;
      hint = " The repository or release does not exist, or the token cannot see it: check github-release://OWNER/REPO and the token's "
          + "repository access.";
    } else {
      errorCode = ErrorCode.REMOTE_API;
      hint = "";
    }
    return new GitHubApiException(errorCode, line + hint, status, code, message);
  }

  /**
   * Runs {@code attempt} until it succeeds, it fails for good, or the retries are spent. A
   * {@link TransientFailure} that is not retried is thrown as it is.
   */
  private <T> T withRetries(String what, boolean safeToResend, Callable<T> attempt) {
    long deadline = System.nanoTime() + settings.maxRetryTime().toNanos();
    AtomicInteger attempts = new AtomicInteger();
    IntervalBiFunction<T> interval = (n, outcome) -> {
      TransientFailure t = outcome.isLeft() && outcome.getLeft() instanceof TransientFailure tf ? tf : null;
      long remaining = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      return Math.min(remaining, waitMillis(t, n));
    };
    RetryConfig config = RetryConfig.<T>custom()
        .maxAttempts(settings.maxAttempts())
        .intervalBiFunction(interval)
        .retryOnException(e -> e instanceof TransientFailure t && (!t.mayHaveApplied() || safeToResend)
            && fitsBefore(t.wait, deadline))
        .build();
    Retry retry = Retry.of("github", config);
    retry.getEventPublisher().onRetry(e -> LOG.info("GitHub API {}: {}; retry {} in {} ms", what,
        e.getLastThrowable() instanceof TransientFailure t ? t.describe() : ServerText.oneLine(String.valueOf(e.getLastThrowable()), 200),
        e.getNumberOfRetryAttempts(), e.getWaitInterval().toMillis()));
    try {
      return retry.executeCallable(() -> {
        attempts.incrementAndGet();
        return attempt.call();
      });
    } catch (TransientFailure | LifeboatException e) {
      throw e;
    } catch (Exception e) {
      throw new LifeboatException(ErrorCode.REMOTE_API, "GitHub API " + what + " failed: " + ServerText.oneLine(e.toString(), ServerText.MAX_MESSAGE), e);
    }
  }

  /**
   * The wait before retry {@code n}: what GitHub asked for; after a rate-limit answer that named
   * no time, {@code github.retry.rateLimitPause} doubling per retry (GitHub: "wait at least one
   * minute, then back off exponentially"); otherwise full-jitter exponential backoff.
   */
  private long waitMillis(TransientFailure t, int n) {
    int doublings = Math.min(10, Math.max(0, n - 1));
    if (t != null && t.wait != null) {
      return t.wait.toMillis();
    }
    if (t != null && t.rateLimited) {
      return settings.rateLimitPause().toMillis() << doublings;
    }
    long cap = Math.min(30_000, settings.initialBackoff().toMillis() << doublings);
    return ThreadLocalRandom.current().nextLong(cap + 1);
  }

  private static boolean fitsBefore(Duration wait, long deadline) {
    long remaining = deadline - System.nanoTime();
    return remaining > 0 && (wait == null || wait.toNanos() <= remaining);
  }

  /** A transient failure that outlasted the retries, as one line with what to do. */
  LifeboatException gaveUp(String what, TransientFailure t) {
    if (t.status == 0) {
      return new LifeboatException(ErrorCode.CONNECTION, "Cannot reach GitHub at " + Location.redact(settings.apiUrl()) + " (" + what + "): "
          + t.serverMessage + ". Check the network and github.apiUrl / GITHUB_API_URL.", t.getCause());
    }
    String hint;
    if (t.rateLimited && t.wait != null) {
      hint = " GitHub's rate limit asks to wait until " + Instant.now().plus(t.wait).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
          + "; try again then (or raise github.retry.maxTime).";
    } else if (t.rateLimited) {
      hint = " GitHub's rate limit was reached; wait a few minutes and try again (or raise github.retry.maxTime).";
    } else if (t.status < 500) {
      hint = " GitHub's asset host refused every fresh download link; try again later.";
    } else {
      hint = " GitHub is unavailable; try again later.";
    }
    return new GitHubApiException(ErrorCode.REMOTE_API, "GitHub API " + what + " still answered " + t.status + ": " + t.serverMessage
        + (t.requestId.isEmpty() ? "" : " (request id " + t.requestId + ")") + "." + hint, t.status, "", t.serverMessage);
  }

  private static boolean sameOrigin(HttpUrl a, HttpUrl b) {
    return a.scheme().equals(b.scheme()) && a.host().equalsIgnoreCase(b.host()) && a.port() == b.port();
  }
}
