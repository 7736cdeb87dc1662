package dev.lifeboat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to put in a dump. Providers apply what fits their database: PostgreSQL reads schemas and
 * tables, MongoDB reads collections from {@link #includeTables()} and {@link #excludeTables()}.
 * Immutable; build with {@link #builder()}.
 */
public final class DumpOptions {
  private static final DumpOptions DEFAULTS = builder().build();

  private final List<String> includeSchemas;
  private final List<String> excludeSchemas;
  private final List<String> includeTables;
  private final List<String> excludeTables;
  private final boolean schemaOnly;
  private final boolean dataOnly;
  private final boolean noOwner;
  private final boolean noPrivileges;
  private final int jobs;
  private final boolean jobsGiven;
  private final String format;
  private final Compression compression;
  private final Map<String, String> extra;

  private DumpOptions(Builder b) {
    this.includeSchemas = List.copyOf(b.includeSchemas);
    this.excludeSchemas = List.copyOf(b.excludeSchemas);
    this.includeTables = List.copyOf(b.includeTables);
    this.excludeTables = List.copyOf(b.excludeTables);
    this.schemaOnly = b.schemaOnly;
    this.dataOnly = b.dataOnly;
    this.noOwner = b.noOwner;
    this.noPrivileges = b.noPrivileges;
    this.jobs = b.jobs;
    this.jobsGiven = b.jobsGiven;
    this.format = b.format;
    this.compression = b.compression;
    this.extra = Map.copyOf(b.extra);
    if (schemaOnly && dataOnly) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "schema-only and data-only exclude each other; choose one.");
    }
    if (jobs < 1) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "jobs must be at least 1, was " + jobs + ".");
    }
  }

  /** Everything, in the provider's default format and compression. */
  public static DumpOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.includeSchemas.addAll(includeSchemas);
    b.excludeSchemas.addAll(excludeSchemas);
    b.includeTables.addAll(includeTables);
    b.excludeTables.addAll(excludeTables);
    b.schemaOnly = schemaOnly;
    b.dataOnly = dataOnly;
    b.noOwner = noOwner;
    b.noPrivileges = noPrivileges;
    b.jobs = jobs;
    b.jobsGiven = jobsGiven;
    b.format = format;
    b.compression = compression;
    b.extra.putAll(extra);
    return b;
  }

  /** Schemas to include; empty means all. */
  public List<String> includeSchemas() { return includeSchemas; }
  /** Schemas to leave out. */
  public List<String> excludeSchemas() { return excludeSchemas; }
  /** Tables or collections to include (patterns as the dump tool accepts them); empty means all. */
  public List<String> includeTables() { return includeTables; }
  /** Tables or collections to leave out. */
  public List<String> excludeTables() { return excludeTables; }
  /** Definitions only, no data. */
  public boolean schemaOnly() { return schemaOnly; }
  /** Data only, no definitions. */
  public boolean dataOnly() { return dataOnly; }
  /** Leave out ownership (PostgreSQL {@code --no-owner}). */
  public boolean noOwner() { return noOwner; }
  /** Leave out grants (PostgreSQL {@code --no-privileges}). */
  public boolean noPrivileges() { return noPrivileges; }
  /** Parallel workers the dump may use (formats that support it); 1 unless {@link Builder#jobs(int)} was called. */
  public int jobs() { return jobs; }
  /**
   * Whether {@link Builder#jobs(int)} was called. A provider with a parallelism setting of its own
   * (MongoDB's {@code mongo.parallelCollections}) follows {@link #jobs()} only when it was.
   */
  public boolean jobsGiven() { return jobsGiven; }
  /** The requested format, or empty for the provider's default. */
  public Optional<String> format() { return Optional.ofNullable(format); }
  /** The requested outer compression, or empty for the provider's default. */
  public Optional<Compression> compression() { return Optional.ofNullable(compression); }
  /** Provider-specific settings, e.g. {@code pg.compressLevel}. */
  public Map<String, String> extra() { return extra; }

  /**
   * The options set to something other than their defaults, named as the CLI spells them
   * ({@code --table}, {@code --jobs}, ...): what a backup that cannot apply them (a platform's own
   * snapshot of a whole branch) must refuse rather than ignore. Provider-specific settings are not listed.
   */
  public List<String> given() {
    List<String> given = new ArrayList<>();
    addIf(given, !includeSchemas.isEmpty(), "--schema");
    addIf(given, !excludeSchemas.isEmpty(), "--exclude-schema");
    addIf(given, !includeTables.isEmpty(), "--table");
    addIf(given, !excludeTables.isEmpty(), "--exclude-table");
    addIf(given, schemaOnly, "--schema-only");
    addIf(given, dataOnly, "--data-only");
    addIf(given, noOwner, "--no-owner");
    addIf(given, noPrivileges, "--no-privileges");
    addIf(given, jobsGiven, "--jobs");
    addIf(given, format != null, "--format");
    addIf(given, compression != null, "--compression");
    return given;
  }

  private static void addIf(List<String> names, boolean given, String name) {
    if (given) {
      names.add(name);
    }
  }

  @Override
  public String toString() {
    return "DumpOptions{includeSchemas=" + includeSchemas + ", excludeSchemas=" + excludeSchemas
        + ", includeTables=" + includeTables + ", excludeTables=" + excludeTables
        + ", schemaOnly=" + schemaOnly + ", dataOnly=" + dataOnly + ", noOwner=" + noOwner
        + ", noPrivileges=" + noPrivileges + ", jobs=" + jobs + ", format=" + format
        + ", compression=" + compression + ", extra=" + extra + "}";
  }

  /** Builds {@link DumpOptions}. */
  public static final class Builder {
    private final List<String> includeSchemas = new ArrayList<>();
    private final List<String> excludeSchemas = new ArrayList<>();
    private final List<String> includeTables = new ArrayList<>();
    private final List<String> excludeTables = new ArrayList<>();
    private boolean schemaOnly;
    private boolean dataOnly;
    private boolean noOwner;
    private boolean noPrivileges;
    private int jobs = 1;
    private boolean jobsGiven;
    private String format;
    private Compression compression;
    private final Map<String, String> extra = new LinkedHashMap<>();

    private Builder() {}

    public Builder includeSchema(String schema) { includeSchemas.add(schema); return this; }
    public Builder excludeSchema(String schema) { excludeSchemas.add(schema); return this; }
    public Builder includeTable(String table) { includeTables.add(table); return this; }
    public Builder excludeTable(String table) { excludeTables.add(table); return this; }
    public Builder schemaOnly(boolean value) { schemaOnly = value; return this; }
    public Builder dataOnly(boolean value) { dataOnly = value; return this; }
    public Builder noOwner(boolean value) { noOwner = value; return this; }
    public Builder noPrivileges(boolean value) { noPrivileges = value; return this; }
    public Builder jobs(int value) { jobs = value; jobsGiven = true; return this; }
    public Builder format(String value) { format = value; return this; }
    public Builder compression(Compression value) { compression = value; return this; }
    public Builder extra(String key, String value) { extra.put(key, value); return this; }

    public DumpOptions build() {
      return new DumpOptions(this);
    }
  }
}
