package dev.lifeboat.retention;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link RetentionPolicy} does to a store: the snapshots it keeps, with every rule that keeps
 * each, and the ones it removes. Both lists run newest first. Damaged snapshots are in neither: a
 * policy never removes them, they are listed in {@link #damaged()} for the caller to report.
 *
 * <p>With {@link dev.lifeboat.Json#mapper()} it serialises as
 * {@code {"keep": [{"id", "createdAt", "reasons": [...]}], "remove": [{"id", "createdAt"}]}}, plus
 * {@code "damaged": [{"id", "createdAt", "reason"}]} only when there are damaged snapshots.
 *
 * @param keep the snapshots kept, newest first
 * @param remove the snapshots the policy removes, newest first
 * @param damaged the damaged snapshots, left alone, by id
 */
@JsonPropertyOrder({"keep", "remove", "damaged"})
public record PrunePlan(List<Kept> keep, List<Removed> remove,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Damaged> damaged) {

  public PrunePlan {
    keep = List.copyOf(keep);
    remove = List.copyOf(remove);
    damaged = damaged == null ? List.of() : List.copyOf(damaged);
  }

  /**
   * A snapshot the plan keeps.
   *
   * @param id the snapshot's id
   * @param createdAt when it was taken
   * @param reasons every rule that keeps it, in restic's words ({@code "daily snapshot"},
   *     {@code "oldest monthly snapshot"}, {@code "within 2d"}) followed by Lifeboat's rails
   *     ({@value Retention#NEWEST}, {@value Retention#NEWEST_PROVEN}, {@value Retention#PINNED}); never empty
   */
  @JsonPropertyOrder({"id", "createdAt", "reasons"})
  public record Kept(String id, Instant createdAt, List<String> reasons) {
    public Kept {
      Objects.requireNonNull(id, "id");
      reasons = List.copyOf(reasons);
      if (reasons.isEmpty()) {
        throw new IllegalArgumentException("A kept snapshot needs a reason: " + id);
      }
    }
  }

  /**
   * A snapshot the plan removes.
   *
   * @param id the snapshot's id
   * @param createdAt when it was taken
   */
  @JsonPropertyOrder({"id", "createdAt"})
  public record Removed(String id, Instant createdAt) {
    public Removed {
      Objects.requireNonNull(id, "id");
    }
  }

  /**
   * A damaged snapshot, which no policy removes.
   *
   * @param id the snapshot's id
   * @param createdAt when it was taken, or {@code null} when that is not known (left out of JSON)
   * @param reason why it cannot be trusted
   */
  @JsonPropertyOrder({"id", "createdAt", "reason"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Damaged(String id, Instant createdAt, String reason) {
    public Damaged {
      Objects.requireNonNull(id, "id");
    }
  }
}
