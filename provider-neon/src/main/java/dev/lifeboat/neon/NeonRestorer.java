package dev.lifeboat.neon;

import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.neon.api.NeonBranch;
import dev.lifeboat.spi.Archive;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreJob;
import dev.lifeboat.spi.Restorer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Loads a {@code pg-custom} archive into a Neon branch ({@code neon://P/BRANCH}) through the
 * installed PostgreSQL restorer and the branch's direct URI. The default branch, protected branches
 * and the snapshot's own source branch are refused unless confirmed with the branch's name.
 */
final class NeonRestorer implements Restorer {
  private static final Location ANY_POSTGRES = Location.parse("postgresql://localhost/postgres");

  private final ProviderContext context;
  private final Function<String, NeonProjectOps> projects;

  NeonRestorer(ProviderContext context, Function<String, NeonProjectOps> projects) {
    this.context = context;
    this.projects = projects;
  }

  @Override
  public Set<String> formats() {
    return Set.of("pg-custom");
  }

  @Override
  public boolean accepts(Location destination) {
    return "neon".equals(destination.scheme()) && NeonLocation.parse(destination).branch() != null;
  }

  @Override
  public String checkArchive(Archive archive) {
    return context.restorer(archive.manifest().format(), ANY_POSTGRES).checkArchive(archive);
  }

  @Override
  public RestoreResult restore(RestoreJob job) {
    NeonLocation dest = NeonLocation.parse(job.destination());
    NeonProjectOps ops = projects.apply(dest.projectId());
    NeonBranch branch = ops.requireBranch(dest.requireBranch("a restore"));
    RestoreOptions options = job.options();
    String confirm = options.confirm().orElse(null);
    if (branch.isDefault() || branch.isProtected() || isOwnSource(job.archive().manifest(), dest, branch)) {
      NeonProjectOps.requireConfirmation(branch, confirm, "Restoring snapshot " + job.archive().manifest().id() + " into " + dest);
    }
    Location direct = ops.directUri(branch, dest.database(), dest.role());
    if (branch.name().equals(confirm)) {
      // The user confirmed the Neon branch; the PostgreSQL restorer knows the destination by its database name.
      options = withConfirm(options, databaseName(direct));
    }
    Restorer pg = context.restorer(job.archive().manifest().format(), direct);
    RestoreResult r = pg.restore(new RestoreJob(job.archive(), direct, options, job.progress()));
    Map<String, String> details = new LinkedHashMap<>(r.details());
    details.put("neon.projectId", dest.projectId());
    details.put("neon.branchId", branch.id());
    return new RestoreResult(r.snapshotId(), dest.uri(), r.format(), r.restored(), r.elapsed(), details, r.verification());
  }

  private static boolean isOwnSource(Manifest manifest, NeonLocation dest, NeonBranch branch) {
    if (manifest.source() == null || manifest.source().uri() == null || !manifest.source().uri().startsWith("neon://")) {
      return false;
    }
    NeonLocation src = NeonLocation.parse(Location.parse(manifest.source().uri()));
    return src.projectId().equals(dest.projectId()) && (branch.name().equals(src.branch()) || branch.id().equals(src.branch()));
  }

  static String databaseName(Location direct) {
    return direct.uri().map(u -> u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "")).orElse("");
  }

  private static RestoreOptions withConfirm(RestoreOptions o, String confirm) {
    RestoreOptions.Builder b = RestoreOptions.builder().replace(o.replace()).confirm(confirm).tables(o.tables()).jobs(o.jobs());
    o.extra().forEach(b::extra);
    return b.build();
  }
}
