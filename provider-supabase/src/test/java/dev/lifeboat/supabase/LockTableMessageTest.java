package dev.lifeboat.supabase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import org.junit.jupiter.api.Test;

/** pg_dump's own LOCK TABLE refusal (when the check before the dump could not see it) explained. */
class LockTableMessageTest {
  @Test
  void lockTableRefusalNamesTheTableAndWhatToDo() {
    LifeboatException raw = new LifeboatException(ErrorCode.SOURCE_FAILED, "pg_dump of postgresql://cli_login_postgres@db:5432/postgres"
        + " failed (exit status 1): pg_dump: error: query failed: ERROR:  permission denied for schema auth\n"
        + "pg_dump: detail: Query was: LOCK TABLE \"auth\".\"users\" IN ACCESS SHARE MODE\nNothing was stored.");
    LifeboatException e = SupabaseBackupSource.explained(raw);
    assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_FAILED);
    assertThat(e.getMessage()).contains("auth.users").contains("schema auth").contains("GRANT SELECT ON auth.users TO postgres")
        .contains("--exclude-table auth.users").doesNotContain("Query was");
  }

  @Test
  void otherFailuresAreLeftAsTheyAre() {
    LifeboatException raw = new LifeboatException(ErrorCode.SOURCE_FAILED, "pg_dump failed: could not connect");
    assertThat(SupabaseBackupSource.explained(raw)).isSameAs(raw);
  }
}
