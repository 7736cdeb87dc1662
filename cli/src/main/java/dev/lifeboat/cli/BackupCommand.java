package dev.lifeboat.cli;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Location;
import dev.lifeboat.Redactor;
import dev.lifeboat.Snapshot;
import dev.lifeboat.crypto.KeyPairFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code lifeboat backup}: dumps a source into a target; the new snapshot id is the last line of
 * standard output. SIGTERM or Ctrl-C during the backup removes the unfinished snapshot before the
 * process exits (see {@link StopOnSignal}).
 */
@Command(name = "backup", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {
        "Back up a database into a snapshot target.",
        "Prints the new snapshot id as the last line of standard output; the summary goes to standard error."
    })
final class BackupCommand extends LifeboatSubcommand {

  @Option(names = "--source", required = true, paramLabel = "URI",
      description = "The database, e.g. postgresql://user@host:5432/db (a password is better in PGPASSWORD).")
  String source;

  @Option(names = "--target", required = true, paramLabel = "URI",
      description = "Where to keep the snapshot, e.g. file:/backups or a folder.")
  String target;

  // Read as text rather than as a picocli map, which would keep the last of two values for one key
  // without a word: a script's label must not be dropped silently.
  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label stored in the manifest. Repeatable; each key once.")
  List<String> labelArgs = new ArrayList<>();

  @Option(names = "--schema", paramLabel = "S", description = "Only this schema. Repeatable.")
  List<String> schemas = new ArrayList<>();

  @Option(names = "--exclude-schema", paramLabel = "S", description = "Leave out this schema. Repeatable.")
  List<String> excludeSchemas = new ArrayList<>();

  @Option(names = "--table", paramLabel = "T", description = "Only this table. Repeatable.")
  List<String> tables = new ArrayList<>();

  @Option(names = "--exclude-table", paramLabel = "T", description = "Leave out this table. Repeatable.")
  List<String> excludeTables = new ArrayList<>();

  @Option(names = "--schema-only", description = "Definitions only, no data.")
  boolean schemaOnly;

  @Option(names = "--data-only", description = "Data only, no definitions.")
  boolean dataOnly;

  @Option(names = "--no-owner", description = "Leave out ownership.")
  boolean noOwner;

  @Option(names = "--no-privileges", description = "Leave out grants.")
  boolean noPrivileges;

  // No default value: a MongoDB source reads mongo.parallelCollections collections at once unless --jobs was given.
  @Option(names = "--jobs", paramLabel = "N", converter = Converters.JobsConverter.class,
      description = "Parallel dump workers (formats that support it), 1 to " + Converters.MAX_JOBS + ": pg_dump jobs, or"
          + " collections read at once from MongoDB. Default: 1; for MongoDB, the mongo.parallelCollections setting (4).")
  Integer jobs;

  @Option(names = "--format", paramLabel = "F", description = "Dump format, e.g. pg-custom or pg-directory. Default: the provider's.")
  String format;

  @Option(names = "--compression", paramLabel = "C", description = "none, gzip or zstd. Default: the provider's.")
  Compression compression;

  @Option(names = "--at", paramLabel = "INSTANT", converter = Converters.InstantConverter.class,
      description = "For branching targets: snapshot the source as it was at this UTC instant, e.g. 2026-11-21T10:00:00Z.")
  Instant at;

  @Option(names = "--encrypt-to", paramLabel = "PUBLIC_KEY_FILE",
      description = "Encrypt the archive to this public key (from 'lifeboat keys generate'): only its private key can restore it."
          + " The manifest (ids, sizes, table names, counts) stays readable.")
  Path encryptTo;

  @Mixin NotifyOptions notify;

  /**
   * What a backup stopped by a signal left on a platform that makes its snapshots itself (the Neon
   * provider ends its failure with "Backup branch … was created … left in place" or "No backup
   * branch … was created"); {@code null} for an archive backup, whose unfinished snapshot the abort removed.
   */
  static String leftOnPlatform(RuntimeException e) {
    String message = e.getMessage() == null ? "" : Redactor.redact(e.getMessage());
    for (String marker : List.of(" Backup branch ", " No backup branch ")) {
      int at = message.lastIndexOf(marker);
      if (at >= 0 && message.indexOf(" created", at) > 0) {
        return ErrorReporter.oneLine(Character.toLowerCase(message.charAt(at + 1)) + message.substring(at + 2).strip());
      }
    }
    return null;
  }

  /** The labels, or a usage error for one without '=' or a key given twice. */
  private Map<String, String> labels() {
    return KeyValues.parse(spec.commandLine(), "--label", "reason=nightly", labelArgs);
  }

  @Override
  public Integer call() {
    DumpOptions.Builder options = DumpOptions.builder()
        .schemaOnly(schemaOnly).dataOnly(dataOnly).noOwner(noOwner).noPrivileges(noPrivileges)
        .format(format).compression(compression);
    if (jobs != null) {
      options.jobs(jobs);
    }
    schemas.forEach(options::includeSchema);
    excludeSchemas.forEach(options::excludeSchema);
    tables.forEach(options::includeTable);
    excludeTables.forEach(options::excludeTable);
    BackupRequest.Builder builder = BackupRequest.builder(source, target).labels(labels()).options(options.build()).at(at);
    if (encryptTo != null) {
      builder.encryptTo(KeyPairFiles.readPublic(encryptTo));
    }
    BackupRequest request = builder.build();
    if (root().verbose()) {
      err().println("Backing up " + Summaries.location(source) + " into " + Summaries.location(target) + " ...");
      err().flush();
    }
    Snapshot snapshot;
    try (Lifeboat lifeboat = openLifeboat(notify);
        StopOnSignal signals = StopOnSignal.install(lifeboat, Summaries.location(target), err())) {
      try {
        snapshot = lifeboat.backup(request);
      } catch (RuntimeException e) {
        if (signals.fired()) {
          // Stopped by SIGTERM or Ctrl-C: the shutdown hook says so in one line, and the JVM exits with the signal's status.
          signals.ended(leftOnPlatform(e));
          return LifeboatCli.FAILED;
        }
        throw e;
      }
      // Finished before an abort could stop it: should a signal have come, the hook says the snapshot is kept.
      signals.ended("it had already finished: snapshot " + snapshot.id() + " was stored.");
    }
    err().println("Stored " + Summaries.snapshot(snapshot));
    err().flush();
    out().println(snapshot.id());
    return LifeboatCli.OK;
  }
}
