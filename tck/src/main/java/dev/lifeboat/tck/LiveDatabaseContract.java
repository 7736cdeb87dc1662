package dev.lifeboat.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Snapshot;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.file.FileBlobStore;
import dev.lifeboat.spi.SecretResolver;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What the contracts for live databases share: the source under test, the {@link Lifeboat}
 * instance they drive, local folders for snapshots, and one backup of the source made on first use.
 *
 * <p>The contracts run with {@link TestInstance.Lifecycle#PER_CLASS}: one instance per test class,
 * so the backup is taken once. Start your server in a {@code static @BeforeAll} of your subclass
 * (or in a static initialiser); the contracts have no {@code @BeforeAll} of their own and call the
 * hooks only from test methods, after yours have run. Stop it in a {@code @AfterAll}.
 *
 * <p>Snapshots go to local folders ({@link FileBlobStore}) in a temporary folder the contract owns, so
 * that a contract can inspect and corrupt stored bytes without any hook.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
public abstract class LiveDatabaseContract {
  private final AtomicInteger folders = new AtomicInteger();
  private Path workDir;
  private Lifeboat lifeboat;
  private Snapshot backup;
  private Location backupTarget;

  /**
   * The live database under test, seeded with the data your {@code expectedCounts()} describe
   * (for {@link BackupSourceContract}) or with at least one table or collection holding at least
   * one record (for the restore contracts). It may carry a password; the contracts check that it
   * never shows up in manifests or messages. Called many times: return the same location.
   */
  protected abstract Location sourceLocation();

  /**
   * Settings for the {@link Lifeboat} instance the contracts drive, e.g. a tool folder
   * ({@code pgdump.bin}) or an API base URL pointing at a stub. None by default.
   */
  protected Map<String, String> settings() {
    return Map.of();
  }

  /** Where providers look secrets up. The process environment by default. */
  protected SecretResolver secrets() {
    return SecretResolver.ENVIRONMENT;
  }

  /** The dump options of every backup the contract takes. The provider's defaults by default. */
  protected DumpOptions dumpOptions() {
    return DumpOptions.defaults();
  }

  /** The {@link Lifeboat} instance the contract drives: providers from the class path, {@link #settings()} and {@link #secrets()}. */
  protected final synchronized Lifeboat lifeboat() {
    if (lifeboat == null) {
      lifeboat = Lifeboat.builder().settings(settings()).secrets(secrets()).build();
    }
    return lifeboat;
  }

  /** A new, empty local snapshot folder as a {@code file:} location. */
  protected final Location newTargetLocation() {
    return Location.of(workDir().resolve("target-" + folders.incrementAndGet()));
  }

  /** The snapshot target of a {@code file:} location from {@link #newTargetLocation()}. */
  protected static SnapshotTarget fileTarget(Location location) {
    return SnapshotTarget.over(FileBlobStore.open(location));
  }

  /** The folder a {@code file:} location from {@link #newTargetLocation()} names. */
  protected static Path folder(Location location) {
    return FileBlobStore.open(location).root();
  }

  /** A backup of {@link #sourceLocation()} taken once for this test class, with label {@code tck=shared}. */
  protected final synchronized Snapshot sharedBackup() {
    if (backup == null) {
      backupTarget = newTargetLocation();
      backup = lifeboat().backup(BackupRequest.builder(sourceLocation(), backupTarget)
          .options(dumpOptions()).label("tck", "shared").build());
    }
    return backup;
  }

  /** The target that holds {@link #sharedBackup()}. */
  protected final synchronized Location sharedBackupTarget() {
    sharedBackup();
    return backupTarget;
  }

  /**
   * A copy of {@link #sharedBackup()} in a new target, with one byte of its stored archive flipped
   * (the manifest left as it was). Returns the copy's target; the snapshot id is the same.
   */
  protected final Location corruptCopyOfSharedBackup() {
    Snapshot s = sharedBackup();
    Location copy = newTargetLocation();
    Path from = folder(sharedBackupTarget()).resolve(s.id());
    Path to = folder(copy).resolve(s.id());
    try {
      Files.createDirectories(to);
      try (Stream<Path> files = Files.list(from)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
      Path archive = fileTarget(copy).localFile(s.id()).orElseThrow();
      flipByte(archive, Files.size(archive) / 2);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return copy;
  }

  /** XORs the byte at {@code position} of {@code file} with {@code 0xFF}. */
  protected static void flipByte(Path file, long position) throws IOException {
    byte[] all = Files.readAllBytes(file);
    all[(int) position] ^= (byte) 0xFF;
    Files.write(file, all);
  }

  /** The counted items of a manifest: qualified name to exact count (views and partition parents left out). */
  protected static Map<String, Long> countedItems(Manifest manifest) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (InventoryItem item : manifest.inventory().items()) {
      if (item.counted()) {
        out.put(item.qualifiedName(), item.count());
      }
    }
    return out;
  }

  /** The password of {@link #sourceLocation()}, if it carries one. */
  protected final Optional<String> sourcePassword() {
    return sourceLocation().password().filter(p -> !p.isEmpty());
  }

  /** Asserts that {@code text} shows no password of the source. */
  protected final void assertNoSourcePassword(String what, String text) {
    sourcePassword().ifPresent(p -> assertThat(text).as(what + " must not show the source's password").doesNotContain(p));
  }

  /** Asserts that {@code call} throws a {@link LifeboatException} with {@code code}, and returns it. */
  protected static LifeboatException expectFailure(ErrorCode code, Runnable call) {
    try {
      call.run();
    } catch (LifeboatException e) {
      assertThat(e.code()).as("error code of: " + e.getMessage()).isEqualTo(code);
      return e;
    }
    throw new AssertionError("expected a LifeboatException with " + code + ", but the call succeeded");
  }

  /** A folder of this test class, removed after the class. */
  protected final synchronized Path workDir() {
    if (workDir == null) {
      try {
        workDir = Files.createTempDirectory("lifeboat-tck-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return workDir;
  }

  @AfterAll
  final void closeLiveDatabaseContract() throws IOException {
    if (lifeboat != null) {
      lifeboat.close();
    }
    if (workDir != null) {
      try (Stream<Path> walk = Files.walk(workDir)) {
        for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
