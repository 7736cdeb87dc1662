package dev.lifeboat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Wrong input is a CONFIGURATION (or UNSUPPORTED) error that says what to do, before any work starts. */
class ValidationTest {

  private static void assertCode(ErrorCode code, ThrowingCallable call, String hint) {
    assertThatThrownBy(call).isInstanceOf(LifeboatException.class)
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(code))
        .hasMessageContaining(hint);
  }

  @Test
  void zstdLevelsOutsideOneToNineteenAreConfigurationErrorsNamingTheRange() {
    assertThat(Compression.zstdLevel(java.util.Optional.empty())).isEqualTo(Compression.DEFAULT_ZSTD_LEVEL);
    assertThat(Compression.zstdLevel(java.util.Optional.of(" 7 "))).isEqualTo(7);
    for (String bad : List.of("0", "20", "fast", "-1")) {
      assertThatThrownBy(() -> Compression.zstdLevel(java.util.Optional.of(bad)))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
          .hasMessageContaining("lifeboat.zstdLevel=" + bad).hasMessageContaining("1 (fastest) to 19");
    }
  }

  @Test
  void dumpOptionsRefuseContradictions() {
    assertCode(ErrorCode.CONFIGURATION, () -> DumpOptions.builder().schemaOnly(true).dataOnly(true).build(), "choose one");
    assertCode(ErrorCode.CONFIGURATION, () -> DumpOptions.builder().jobs(0).build(), "at least 1");
    assertCode(ErrorCode.CONFIGURATION, () -> RestoreOptions.builder().jobs(0).build(), "at least 1");
  }

  @Test
  void dumpOptionsCopyEverythingIntoANewBuilder() {
    DumpOptions o = DumpOptions.builder().includeSchema("s").excludeSchema("x").includeTable("t").excludeTable("u")
        .schemaOnly(true).noOwner(true).noPrivileges(true).jobs(3).format("pg-directory")
        .compression(Compression.GZIP).extra("k", "v").build();
    assertThat(o.toBuilder().build().toString()).isEqualTo(o.toString());
    assertThat(DumpOptions.defaults().compression()).isEmpty();
  }

  @Test
  void compressionParsesNamesCaseInsensitively() {
    assertThat(Compression.parse(" ZStd ")).isEqualTo(Compression.ZSTD);
    assertThat(Compression.parse("gzip")).isEqualTo(Compression.GZIP);
    assertCode(ErrorCode.CONFIGURATION, () -> Compression.parse("lz4"), "none, gzip, zstd");
  }

  @Test
  void labelsNeedAKey() {
    assertCode(ErrorCode.CONFIGURATION, () -> BackupRequest.builder("fake://h/db", "/tmp/b").label(" ", "v"), "key=value");
  }

  @Test
  void aBlankSnapshotIsRefusedNotReadAsLatest() {
    for (String blank : java.util.Arrays.asList("", " ", null)) {
      assertCode(ErrorCode.CONFIGURATION, () -> RestoreRequest.builder("/tmp/b", blank, "fake://h/db"), "never means the latest");
      assertCode(ErrorCode.CONFIGURATION, () -> VerifyRequest.builder("/tmp/b", blank), "never means the latest");
    }
    assertThat(RestoreRequest.builder("/tmp/b", "Latest", "fake://h/db").build().snapshot()).isEqualTo("Latest");
  }

  @Test
  void aSchemeWhoseProviderCannotDoTheJobIsUnsupported() {
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      // The file provider keeps snapshots; it cannot be backed up from.
      assertCode(ErrorCode.UNSUPPORTED,
          () -> lifeboat.backup(BackupRequest.builder("file:/var/lib/data", "file:/tmp/never").build()), "back up from file:");
      // And the fake provider is no snapshot store.
      assertCode(ErrorCode.UNSUPPORTED, () -> lifeboat.list("fake://h/db"), "keep snapshots in fake:");
    }
  }

  @Test
  void aVerificationWithoutChecksDoesNotPass() {
    assertThat(new Verification("x", "s", List.of()).passed()).isFalse();
    assertThat(new Verification("x", "s", List.of(Check.skipped("a", null))).passed()).as("only skipped").isFalse();
    assertThat(new Verification("x", "s", List.of(Check.skipped("a", null), Check.passed("b", ""))).passed()).isTrue();
    assertThat(new Verification("x", "s", List.of(Check.passed("a", ""), Check.failed("b", "d"))).failures())
        .extracting(Check::name).containsExactly("b");
  }

  @Test
  void exitStatusesFollowTheCliConvention() {
    assertThat(ErrorCode.CONFIGURATION.exitStatus()).isEqualTo(2);
    assertThat(ErrorCode.UNKNOWN_SCHEME.exitStatus()).isEqualTo(2);
    assertThat(ErrorCode.CHECKSUM_MISMATCH.exitStatus()).isEqualTo(3);
    assertThat(ErrorCode.VERIFICATION_FAILED.exitStatus()).isEqualTo(3);
    assertThat(ErrorCode.SOURCE_FAILED.exitStatus()).isEqualTo(1);
    assertThat(ErrorCode.PROTECTED_DESTINATION.exitStatus()).isEqualTo(2);
  }
}
