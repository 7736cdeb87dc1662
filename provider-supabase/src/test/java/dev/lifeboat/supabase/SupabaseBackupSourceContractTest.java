package dev.lifeboat.supabase;

import dev.lifeboat.Location;
import dev.lifeboat.spi.SecretResolver;
import dev.lifeboat.tck.BackupSourceContract;
import java.util.Map;

/** The TCK's source contract against a Supabase-shaped project reached through its session pooler. */
class SupabaseBackupSourceContractTest extends BackupSourceContract {
  @Override
  protected Location sourceLocation() {
    return TckProject.source();
  }

  @Override
  protected Map<String, String> settings() {
    return TckProject.settings();
  }

  @Override
  protected SecretResolver secrets() {
    return TckProject.secrets();
  }

  /** The user's tables and the auth/storage data; nothing of vault, realtime or the migration tables. */
  @Override
  protected Map<String, Long> expectedCounts() {
    return Map.of("app.settings", 1L, "auth.identities", 25L, "auth.users", 25L, "public.notes", 75L, "public.profiles", 25L,
        "storage.buckets", 1L, "storage.objects", 10L, "supabase_functions.hooks", 1L);
  }

  @Override
  protected String expectedKind() {
    return "supabase";
  }

  @Override
  protected Location unreachableSource() {
    return Location.parse("supabase://" + TckProject.UNREACHABLE_REF);
  }
}
