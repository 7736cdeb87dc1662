package dev.lifeboat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.spi.DatabasePlatform;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.ResolvedDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform location ({@code plat://PROJECT/BRANCH}) resolved once to the direct database behind
 * it ({@code fake://…/BRANCH}): core backs it up, restores into it and verifies it with the fake
 * database's own parts, describes the outcome with the platform's names, and guards the
 * platform's protected databases and a snapshot's own source with the platform's name.
 */
class PlatformTest {
  /** Every location resolved, in order. */
  static final List<String> RESOLVED = new CopyOnWriteArrayList<>();

  @TempDir
  Path dir;

  private Lifeboat lifeboat;
  private String target;

  @BeforeEach
  void start() {
    FakeProvider.reset();
    RESOLVED.clear();
    lifeboat = Lifeboat.builder().provider(new FakePlatformProvider()).build();
    target = "file:" + dir.resolve("backups");
  }

  @AfterEach
  void stop() {
    lifeboat.close();
  }

  @Test
  void aBackupOfAPlatformDatabaseDumpsTheDirectOneAndRecordsThePlatformsIdentity() {
    Snapshot s = lifeboat.backup(BackupRequest.builder("plat://proj/feature", target).build());

    assertThat(FakeProvider.DUMPED).as("the direct database was dumped").containsExactly("db_feature");
    assertThat(RESOLVED).as("resolved once").containsExactly("plat://proj/feature");
    SourceFingerprint source = s.manifest().source();
    assertThat(source.kind()).isEqualTo("plat");
    assertThat(source.uri()).isEqualTo("plat://proj/feature");
    assertThat(source.serverVersion()).as("filled in from the direct source").isEqualTo("1.0");
    assertThat(s.manifest().properties()).containsEntry("plat.project", "proj").containsEntry("plat.branch", "feature")
        .containsEntry("tool", "fake 1.0");
    assertThat(s.manifest().format()).isEqualTo(FakeProvider.FORMAT);
    assertThat(Json.write(s)).doesNotContain("direct-secret");
  }

  @Test
  void aProvidersSourceOfAPlatformLocationIsTheDirectOneDescribedAsThePlatforms() {
    try (var source = lifeboat.providerContext().source(Location.parse("plat://proj/feature"))) {
      SourceFingerprint f = source.fingerprint();
      assertThat(f.kind()).isEqualTo("plat");
      assertThat(f.uri()).isEqualTo("plat://proj/feature");
      assertThat(f.serverVersion()).as("filled in from the direct source").isEqualTo("1.0");
    }
    assertThat(RESOLVED).as("resolved once").containsExactly("plat://proj/feature");
  }

  @Test
  void aRestoreIntoAPlatformDatabaseUsesTheDirectRestorerAndNamesThePlatform() {
    Snapshot s = lifeboat.backup(BackupRequest.builder("fake://db.local/shop", target).build());

    RestoreResult r = lifeboat.restore(RestoreRequest.builder(target, s.id(), "plat://proj/copy").verify().build());

    assertThat(RESOLVED).as("resolved once for the restore and its verification").containsExactly("plat://proj/copy");
    assertThat(FakeProvider.DESTINATIONS).containsOnlyKeys("db_copy");
    assertThat(r.destination()).isEqualTo("plat://proj/copy");
    assertThat(r.details()).containsEntry("plat.branch", "copy");
    assertThat(r.verified()).hasValueSatisfying(v -> {
      assertThat(v.passed()).isTrue();
      assertThat(v.subject()).isEqualTo("plat://proj/copy");
    });
    assertThat(r.toString()).doesNotContain("direct-secret");
    assertThat(FakeProvider.RESTORE_OPTIONS).singleElement().satisfies(o -> assertThat(o.confirm()).isEmpty());

    Verification v = lifeboat.verify(VerifyRequest.builder(target, s.id()).destination("plat://proj/copy").build());
    assertThat(v.passed()).isTrue();
    assertThat(v.subject()).isEqualTo("plat://proj/copy");
  }

  @Test
  void aProtectedPlatformDatabaseNeedsItsPlatformNameAndTheConfirmationReachesTheRestorerAsTheDirectName() {
    Snapshot s = lifeboat.backup(BackupRequest.builder("fake://db.local/shop", target).build());

    for (String confirm : new String[] {null, "db_main", "MAIN"}) {
      RestoreOptions options = RestoreOptions.builder().replace(true).confirm(confirm).build();
      assertThatThrownBy(() -> lifeboat.restore(RestoreRequest.builder(target, s.id(), "plat://proj/main").options(options).build()))
          .as("confirmed with %s", confirm)
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION))
          .hasMessageContaining("--confirm main");
    }
    assertThat(FakeProvider.RESTORED).isEmpty();
    assertThat(FakeProvider.CHECKED).as("refused before the archive was read").isEmpty();

    RestoreOptions confirmed = RestoreOptions.builder().replace(true).confirm("main").jobs(3).table("main.rows").extra("k", "v").build();
    lifeboat.restore(RestoreRequest.builder(target, s.id(), "plat://proj/main").options(confirmed).build());
    assertThat(FakeProvider.RESTORE_OPTIONS).singleElement().satisfies(o -> {
      assertThat(o.confirm()).hasValue("db_main");
      assertThat(o.replace()).isTrue();
      assertThat(o.jobs()).isEqualTo(3);
      assertThat(o.tables()).containsExactly("main.rows");
      assertThat(o.extra()).containsEntry("k", "v");
    });
  }

  @Test
  void restoringOntoTheSnapshotsOwnPlatformSourceNeedsItsName() {
    Snapshot s = lifeboat.backup(BackupRequest.builder("plat://proj/feature", target).build());

    assertThatThrownBy(() -> lifeboat.restore(RestoreRequest.builder(target, s.id(), "plat://proj/feature").build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION))
        .hasMessageContaining("was taken from").hasMessageContaining("--confirm feature");
    lifeboat.restore(RestoreRequest.builder(target, s.id(), "plat://proj/other").build());
    assertThat(FakeProvider.DESTINATIONS).containsOnlyKeys("db_other");
  }

  /**
   * {@code plat://PROJECT/BRANCH}: a platform over the fake database {@code db_BRANCH}; branch
   * {@code main} is protected. It offers nothing but the platform.
   */
  static final class FakePlatformProvider implements LifeboatProvider {
    @Override
    public String name() {
      return "plat";
    }

    @Override
    public Set<String> schemes() {
      return Set.of("plat");
    }

    @Override
    public Optional<DatabasePlatform> platform(Location location, ProviderContext context) {
      return Optional.of(l -> {
        RESOLVED.add(l.raw());
        String[] parts = l.schemeSpecificPart().substring(2).split("/");
        String project = parts[0];
        String branch = parts[1];
        return new ResolvedDatabase(Location.parse("fake://user:direct-secret@db.local/db_" + branch), branch, branch.equals("main"),
            new SourceFingerprint("plat", null, null, "plat://" + project + "/" + branch),
            Map.of("plat.project", project, "plat.branch", branch));
      });
    }
  }
}
