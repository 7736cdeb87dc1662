package dev.lifeboat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How to load a snapshot into a destination. Immutable; build with {@link #builder()}. */
public final class RestoreOptions {
  private static final RestoreOptions DEFAULTS = builder().build();

  private final boolean replace;
  private final String confirm;
  private final List<String> tables;
  private final int jobs;
  private final Map<String, String> extra;

  private RestoreOptions(Builder b) {
    this.replace = b.replace;
    this.confirm = b.confirm;
    this.tables = List.copyOf(b.tables);
    this.jobs = b.jobs;
    this.extra = Map.copyOf(b.extra);
    if (jobs < 1) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "jobs must be at least 1, was " + jobs + ".");
    }
  }

  public static RestoreOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from these options, to change one of them. */
  public Builder toBuilder() {
    Builder b = builder().replace(replace).confirm(confirm).tables(tables).jobs(jobs);
    extra.forEach(b::extra);
    return b;
  }

  /** Replace what the destination already holds (otherwise a non-empty destination is refused). */
  public boolean replace() { return replace; }
  /** The destination's own name, given to confirm a restore onto a protected destination. */
  public Optional<String> confirm() { return Optional.ofNullable(confirm); }
  /** Only these tables or collections; empty means all. */
  public List<String> tables() { return tables; }
  /** Parallel workers for the load. */
  public int jobs() { return jobs; }
  /** Provider-specific settings. */
  public Map<String, String> extra() { return extra; }

  @Override
  public String toString() {
    return "RestoreOptions{replace=" + replace + ", confirm=" + (confirm != null) + ", tables=" + tables + ", jobs=" + jobs + "}";
  }

  /** Builds {@link RestoreOptions}. */
  public static final class Builder {
    private boolean replace;
    private String confirm;
    private final List<String> tables = new ArrayList<>();
    private int jobs = 1;
    private final Map<String, String> extra = new LinkedHashMap<>();

    private Builder() {}

    public Builder replace(boolean value) { replace = value; return this; }
    public Builder confirm(String value) { confirm = value; return this; }
    public Builder table(String value) { tables.add(value); return this; }
    public Builder tables(List<String> values) { tables.addAll(values); return this; }
    public Builder jobs(int value) { jobs = value; return this; }
    public Builder extra(String key, String value) { extra.put(key, value); return this; }

    public RestoreOptions build() {
      return new RestoreOptions(this);
    }
  }
}
