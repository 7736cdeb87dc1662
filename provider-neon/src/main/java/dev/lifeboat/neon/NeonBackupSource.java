package dev.lifeboat.neon;

import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.Inventory;
import dev.lifeboat.Location;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.neon.api.NeonBranch;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.Dump;
import dev.lifeboat.spi.ProviderContext;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Neon branch ({@code neon://P/BRANCH[?database=…&role=…]}) as a source: a logical dump through
 * whichever installed provider serves its direct {@code postgresql://} URI (provider-pgdump). The
 * dump reads the branch as it is and creates no branch.
 */
final class NeonBackupSource implements BackupSource {
  private final NeonProjectOps ops;
  private final NeonLocation location;
  private final ProviderContext context;
  private NeonBranch branch;
  private BackupSource delegate;

  NeonBackupSource(NeonProjectOps ops, NeonLocation location, ProviderContext context) {
    this.ops = ops;
    this.location = location;
    this.context = context;
    location.requireBranch("a backup source");
  }

  private synchronized BackupSource delegate() {
    if (delegate == null) {
      branch = ops.requireBranch(location.branch());
      Location direct = ops.directUri(branch, location.database(), location.role());
      delegate = context.source(direct);
    }
    return delegate;
  }

  private SourceFingerprint neon(SourceFingerprint pg) {
    NeonLocation named = new NeonLocation(location.projectId(), branch.name(),
        location.database() != null ? location.database() : pg.database(), location.role());
    return new SourceFingerprint("neon", pg.serverVersion(), pg.database(), named.uri());
  }

  @Override
  public SourceFingerprint fingerprint() {
    return neon(delegate().fingerprint());
  }

  @Override
  public Inventory inventory() {
    return delegate().inventory();
  }

  @Override
  public Compression defaultCompression() {
    return delegate().defaultCompression();
  }

  @Override
  public Dump dump(DumpOptions options) {
    Dump dump = delegate().dump(options);
    return new NeonDump(dump);
  }

  @Override
  public synchronized void close() {
    if (delegate != null) {
      delegate.close();
    }
  }

  /** The PostgreSQL dump, described as a dump of the Neon branch. */
  private final class NeonDump implements Dump {
    private final Dump pg;

    NeonDump(Dump pg) {
      this.pg = pg;
    }

    @Override
    public String format() {
      return pg.format();
    }

    @Override
    public InputStream stream() {
      return pg.stream();
    }

    @Override
    public SourceFingerprint source() {
      return neon(pg.source());
    }

    @Override
    public Instant consistentAt() {
      return pg.consistentAt();
    }

    @Override
    public void finish() {
      pg.finish();
    }

    @Override
    public Inventory inventory() {
      return pg.inventory();
    }

    @Override
    public Map<String, String> properties() {
      Map<String, String> p = new LinkedHashMap<>(pg.properties());
      p.put("neon.projectId", ops.projectId);
      p.put("neon.branchId", branch.id());
      p.put("neon.branch", branch.name());
      return p;
    }

    @Override
    public void close() {
      pg.close();
    }
  }
}
