package dev.lifeboat.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {
  private final Placeholders placeholders = new Placeholders(
      Map.of("db.host", "pg.internal")::get, Map.of("PGPASS", "s3cret")::get);

  @Test
  void replacesSystemPropertiesAndEnvironmentVariables() {
    assertThat(placeholders.resolve("server", "postgresql://app:${env:PGPASS}@${sys:db.host}:5432/postgres"))
        .isEqualTo("postgresql://app:s3cret@pg.internal:5432/postgres");
  }

  @Test
  void leavesTextWithoutPlaceholdersAlone() {
    assertThat(placeholders.resolve("target", "file:/backups/$shop")).isEqualTo("file:/backups/$shop");
  }

  @Test
  void anUnsetPlaceholderIsAnErrorNamingIt() {
    assertThatThrownBy(() -> placeholders.resolve("target", "file:${sys:missing.dir}/x"))
        .hasMessage("@Restored(target) uses ${sys:missing.dir}, but system property missing.dir is not set;"
            + " set it (-Dmissing.dir=…) or change the attribute");
  }
}
