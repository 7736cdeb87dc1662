package dev.lifeboat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A password in a URI never reaches toString() or JSON of the value objects that carry the URI. */
class SecretsTest {
  private static final String PASSWORD = "Tr0ub4dor&3";
  private static final String URI = "postgresql://app:" + PASSWORD + "@db.example:5432/shop?sslmode=require";

  @Test
  void theFingerprintRemovesThePasswordItself() {
    SourceFingerprint f = new SourceFingerprint("postgresql", "15.10", "shop", URI);
    assertThat(f.uri()).isEqualTo("postgresql://app@db.example:5432/shop?sslmode=require");
    assertThat(f.toString()).doesNotContain(PASSWORD);
    assertThat(Json.write(f)).doesNotContain(PASSWORD);
  }

  @Test
  void manifestsAndSnapshotsNeverShowIt() {
    Manifest m = Manifest.builder().id(SnapshotIds.next(java.time.Instant.now())).format("pg-custom")
        .source(new SourceFingerprint("postgresql", "15.10", "shop", URI)).build();
    Snapshot s = new Snapshot("s3://bucket/prefix?token=" + PASSWORD, m);
    for (String text : List.of(m.toString(), Json.write(m), s.toString(), Json.write(s), s.target())) {
      assertThat(text).doesNotContain(PASSWORD);
    }
  }

  @Test
  void requestsResultsAndLocationsNeverShowIt() {
    BackupRequest b = BackupRequest.builder(URI, "file:/backups").build();
    RestoreRequest r = RestoreRequest.builder("file:/backups", "latest", URI).options(RestoreOptions.builder().confirm("shop").build()).build();
    RestoreResult result = new RestoreResult("x", URI, "pg-custom", List.of(), java.time.Duration.ZERO, null, null);
    Verification v = new Verification("x", URI, List.of(Check.passed("count", "1")));
    for (Object o : List.of(b, r, result, v, Location.parse(URI), Location.parse("jdbc:" + URI))) {
      assertThat(o.toString()).as(o.getClass().getSimpleName()).doesNotContain(PASSWORD);
    }
    assertThat(Json.write(result)).doesNotContain(PASSWORD);
    assertThat(Json.write(v)).doesNotContain(PASSWORD);
    assertThat(b.source().raw()).contains(PASSWORD);
  }

  @Test
  void exceptionsAboutALocationShowItRedacted() {
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      LifeboatException e = org.assertj.core.api.Assertions.catchThrowableOfType(
          () -> lifeboat.backup(BackupRequest.builder("nosuch://app:" + PASSWORD + "@host/db", "file:/tmp/never").build()),
          LifeboatException.class);
      assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_SCHEME);
      assertThat(e.getMessage()).doesNotContain(PASSWORD).contains("nosuch://app@host/db");
      assertThat(e.toString()).doesNotContain(PASSWORD);
    }
  }
}
