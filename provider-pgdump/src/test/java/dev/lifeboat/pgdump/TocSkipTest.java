package dev.lifeboat.pgdump;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which {@code pg_restore --list} lines {@code pg.skipExtensions} and {@code pg.skipEntries} leave out. */
class TocSkipTest {
  @Test
  void anExtensionAndItsCommentAreFoundQuotedOrNot() {
    assertThat(Toc.createsExtension("3; 3079 16390 EXTENSION - uuid-ossp ", "uuid-ossp")).isTrue();
    assertThat(Toc.createsExtension("4321; 0 0 COMMENT - EXTENSION \"uuid-ossp\" ", "uuid-ossp")).isTrue();
    assertThat(Toc.createsExtension("2; 3079 16384 EXTENSION - pgcrypto ", "pgcrypto")).isTrue();
    assertThat(Toc.createsExtension("4320; 0 0 COMMENT - EXTENSION pgcrypto ", "pgcrypto")).isTrue();
    assertThat(Toc.createsExtension("2; 3079 16384 EXTENSION - pgcrypto2 ", "pgcrypto")).isFalse();
    assertThat(Toc.createsExtension("250; 1255 16500 FUNCTION extensions pgcrypto_version() postgres", "pgcrypto")).isFalse();
    assertThat(Toc.createsExtension("; EXTENSION - pgcrypto", "pgcrypto")).isFalse();
  }

  @Test
  void anEntryIsMatchedWithoutItsOwnerAndNotByAPrefixOfItsName() {
    String policy = "3401; 3256 16600 POLICY public profiles own profile postgres";
    assertThat(Toc.isEntry(policy, "POLICY public profiles own profile")).isTrue();
    assertThat(Toc.isEntry(policy, "POLICY public profiles own")).isFalse();
    assertThat(Toc.isEntry(policy, "POLICY public profiles own profile postgres")).isTrue();
    assertThat(Toc.isEntry(policy, "POLICY public profiles own prof")).isFalse();
    assertThat(Toc.isEntry(policy, "POLICY storage objects own profile")).isFalse();
  }
}
