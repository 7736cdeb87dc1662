package dev.lifeboat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Lifeboat#health} on fresh, stale, damaged, empty and unreachable stores. */
class HealthTest {
  private static final Instant TAKEN = Instant.parse("2026-03-10T02:00:00Z");

  @TempDir Path dir;
  private final SteppingClock clock = new SteppingClock(TAKEN);
  private final NativeFakeProvider platform = new NativeFakeProvider();
  private Lifeboat lifeboat;
  private String target;

  @BeforeEach
  void start() {
    lifeboat = Lifeboat.builder().clock(clock).provider(platform).build();
    target = "file:" + dir.resolve("backups");
  }

  @AfterEach
  void stop() {
    lifeboat.close();
  }

  private Snapshot backupAt(Instant at) {
    clock.set(at);
    return lifeboat.backup(BackupRequest.builder("fake://db.local/shop?rows=50", target).build());
  }

  private HealthReport health(Duration maxAge) {
    return lifeboat.health(HealthRequest.builder(target).maxAge(maxAge).build());
  }

  private static HealthCheck check(HealthReport r, String name) {
    return r.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void freshIntactStoreIsHealthyAndTheDrillIsInformation() {
    backupAt(TAKEN.minus(Duration.ofDays(2)));
    Snapshot newest = backupAt(TAKEN);
    clock.set(TAKEN.plus(Duration.ofHours(3)));

    HealthReport r = health(Duration.ofHours(26));

    assertThat(r.healthy()).as(r.toString()).isTrue();
    assertThat(r.checkedAt()).isEqualTo(TAKEN.plus(Duration.ofHours(3)));
    assertThat(check(r, "newest snapshot age")).extracting(HealthCheck::value, HealthCheck::limit).containsExactly("3h", "1d2h");
    assertThat(check(r, "newest snapshot intact").value()).endsWith("bytes, sha256 ok");
    assertThat(check(r, "newest snapshot intact").hint()).contains(newest.id());
    assertThat(check(r, "damaged snapshots").passed()).isTrue();
    assertThat(check(r, "damaged snapshots").hint()).isEqualTo("2 snapshots listed, none damaged.");
    HealthCheck drill = check(r, "last restore drill");
    assertThat(drill.value()).isEqualTo("no drill recorded");
    assertThat(drill.informational()).isTrue();
  }

  @Test
  void staleStoreFailsTheAgeCheck() {
    backupAt(TAKEN);
    clock.set(TAKEN.plus(Duration.ofHours(30)));

    HealthReport r = health(Duration.ofHours(26));

    assertThat(r.healthy()).isFalse();
    assertThat(r.failed()).extracting(HealthCheck::name).containsExactly("newest snapshot age");
    assertThat(check(r, "newest snapshot age").hint()).contains("backup job");
    assertThat(health(null).healthy()).as("without --max-age the age is information").isTrue();
  }

  @Test
  void changedBytesFailTheIntactCheckAndAMissingArchiveIsReportedAsDamaged() throws IOException {
    Snapshot older = backupAt(TAKEN.minus(Duration.ofDays(1)));
    Snapshot newest = backupAt(TAKEN);
    flipLastByte(archiveOf(newest));

    HealthReport changed = health(Duration.ofDays(2));
    assertThat(changed.failed()).extracting(HealthCheck::name).containsExactly("newest snapshot intact");
    assertThat(check(changed, "newest snapshot intact").hint()).contains(newest.id());

    Files.delete(archiveOf(older));
    HealthReport damaged = health(Duration.ofDays(2));
    assertThat(check(damaged, "damaged snapshots")).extracting(HealthCheck::value, HealthCheck::passed).containsExactly("1", false);
    assertThat(check(damaged, "damaged snapshots").hint()).contains(older.id());
  }

  @Test
  void deepReadsTheArchiveThroughItsFormat() {
    backupAt(TAKEN);
    HealthReport r = lifeboat.health(HealthRequest.builder(target).deep().build());
    assertThat(check(r, "newest snapshot intact")).extracting(HealthCheck::value, HealthCheck::limit)
        .containsExactly("intact, read whole", "size, sha256 and format readable");
  }

  @Test
  void emptyStoreIsUnhealthy() throws IOException {
    Files.createDirectories(dir.resolve("backups"));
    HealthReport r = health(null);
    assertThat(r.healthy()).isFalse();
    assertThat(check(r, "newest snapshot age").hint()).contains("lifeboat backup");
  }

  @Test
  void unreadableStoreMeansTheHealthCannotBeDetermined() {
    assertThatThrownBy(() -> health(null)).isInstanceOf(LifeboatException.class)
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.TARGET_FAILED))
        .hasMessageContaining("could not be determined");
    platform.add("backup-1", TAKEN);
    platform.down = true;
    assertThatThrownBy(() -> lifeboat.health(HealthRequest.builder("native-fake://project").build()))
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.TARGET_FAILED))
        .hasMessageContaining("unreachable");
  }

  @Test
  void platformChecksAreHeldAgainstTheGivenLimits() {
    platform.add("backup-1", TAKEN);
    platform.pitr = Duration.ofDays(1);

    HealthReport r = lifeboat.health(HealthRequest.builder("native-fake://project").build());

    assertThat(r.healthy()).isFalse();
    assertThat(check(r, "pitr window")).extracting(HealthCheck::value, HealthCheck::limit, HealthCheck::passed)
        .containsExactly("1d", ">= 2d", false);
    assertThat(check(r, "newest snapshot intact").passed()).isTrue();
    assertThat(lifeboat.health(HealthRequest.builder("native-fake://project").minPitr(Duration.ofHours(12)).build()).healthy())
        .isTrue();
  }

  @Test
  void reportSerialisesInTheDocumentedShape() throws IOException {
    backupAt(TAKEN);
    JsonNode json = Json.mapper().readTree(Json.write(health(null)));
    assertThat(json.fieldNames()).toIterable().containsExactly("healthy", "checkedAt", "checks");
    assertThat(json.get("checks").get(0).fieldNames()).toIterable().containsExactly("name", "value", "limit", "passed", "hint");
    assertThat(json.get("checks").get(0).get("limit").isNull()).isTrue();
  }

  private Path archiveOf(Snapshot s) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("backups").resolve(s.id()))) {
      return files.filter(p -> p.getFileName().toString().startsWith("archive")).findFirst().orElseThrow();
    }
  }

  private static void flipLastByte(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(f.length() - 1);
      int b = f.read();
      f.seek(f.length() - 1);
      f.write(b ^ 0xff);
    }
  }
}
