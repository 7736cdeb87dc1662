package dev.lifeboat.supabase;

import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.spi.SecretResolver;
import dev.lifeboat.tck.RestorerContract;
import java.util.Map;

/**
 * The TCK's restorer contract for Supabase dumps: into plain PostgreSQL databases, and into the
 * source project itself (refused unless confirmed with its ref, then refused as not empty).
 */
class SupabaseRestorerContractTest extends RestorerContract {
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

  @Override
  protected Location freshDestination() {
    return TckProject.freshDestination("tck_restore");
  }

  @Override
  protected Location nonEmptyDestination() {
    return TckProject.nonEmptyDestination();
  }

  @Override
  protected Map<String, Long> countRecords(Location destination) {
    return TckProject.countRecords(destination);
  }

  /** A project is confirmed with its ref. */
  @Override
  protected String confirmationFor(Location source, Manifest manifest) {
    return TckProject.REF;
  }
}
