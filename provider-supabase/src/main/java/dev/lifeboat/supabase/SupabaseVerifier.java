package dev.lifeboat.supabase;

import dev.lifeboat.Expectation;
import dev.lifeboat.Formats;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Verification;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreVerifier;
import java.util.List;

/**
 * Checks a Supabase dump restored into PostgreSQL as the PostgreSQL provider checks its own: every
 * restored table's exact count against the manifest, plus the user's expectations.
 */
final class SupabaseVerifier implements RestoreVerifier {
  private final ProviderContext context;

  SupabaseVerifier(ProviderContext context) {
    this.context = context;
  }

  @Override
  public boolean accepts(String format, Location destination) {
    return format.equals(Formats.SUPABASE_PG_CUSTOM) && PgLocation.accepts(destination);
  }

  @Override
  public Verification verify(Manifest manifest, Location destination, List<String> tables, List<Expectation> expectations) {
    return context.verifier(Formats.PG_CUSTOM, destination).verify(ArchiveAsPg.asPg(manifest), destination, tables, expectations);
  }
}
