package dev.lifeboat.internal;

import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.Inventory;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.Dump;
import dev.lifeboat.spi.ResolvedDatabase;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The source of the direct database behind a platform location, described as the platform's:
 * its fingerprint is the platform's identity (server version and database filled in from the
 * direct source where the platform leaves them out), and the platform's properties join the
 * dump's in the manifest. Everything else is the direct source's own.
 */
final class PlatformSource implements BackupSource {
  private final BackupSource direct;
  private final ResolvedDatabase resolved;

  PlatformSource(BackupSource direct, ResolvedDatabase resolved) {
    this.direct = direct;
    this.resolved = resolved;
  }

  private SourceFingerprint described(SourceFingerprint actual) {
    SourceFingerprint id = resolved.identity();
    return new SourceFingerprint(id.kind(),
        id.serverVersion() != null ? id.serverVersion() : actual.serverVersion(),
        id.database() != null ? id.database() : actual.database(),
        id.uri());
  }

  @Override
  public SourceFingerprint fingerprint() {
    return described(direct.fingerprint());
  }

  @Override
  public Inventory inventory() {
    return direct.inventory();
  }

  @Override
  public Compression defaultCompression() {
    return direct.defaultCompression();
  }

  @Override
  public Dump dump(DumpOptions options) {
    Dump dump = direct.dump(options);
    return new Dump() {
      @Override public String format() { return dump.format(); }
      @Override public InputStream stream() { return dump.stream(); }
      @Override public SourceFingerprint source() { return described(dump.source()); }
      @Override public Instant consistentAt() { return dump.consistentAt(); }
      @Override public void finish() { dump.finish(); }
      @Override public Inventory inventory() { return dump.inventory(); }
      @Override public void close() { dump.close(); }

      @Override
      public Map<String, String> properties() {
        Map<String, String> all = new LinkedHashMap<>(dump.properties());
        all.putAll(resolved.properties());
        return all;
      }
    };
  }

  @Override
  public void close() {
    direct.close();
  }
}
