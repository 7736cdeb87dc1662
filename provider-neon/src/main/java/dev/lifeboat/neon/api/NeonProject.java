package dev.lifeboat.neon.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;

/**
 * A Neon project (the fields Lifeboat uses).
 *
 * @param id the project id
 * @param name its name
 * @param regionId its region
 * @param pgVersion the PostgreSQL major version
 * @param historyRetentionSeconds the history (restore) window that bounds point-in-time branches
 * @param storePasswords whether role passwords can be revealed
 * @param branchLogicalSizeLimitBytes the most data one branch may hold on this plan, when reported
 * @param owner the owner's plan facts, when the key may see them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NeonProject(
    String id,
    String name,
    String regionId,
    Integer pgVersion,
    int historyRetentionSeconds,
    boolean storePasswords,
    Long branchLogicalSizeLimitBytes,
    Owner owner) {

  /** The history window as a duration. */
  public Duration historyWindow() {
    return Duration.ofSeconds(historyRetentionSeconds);
  }

  /**
   * The plan facts of the project's owner.
   *
   * @param branchesLimit the most branches a project may have on this plan
   * @param subscriptionType the plan name
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Owner(Integer branchesLimit, String subscriptionType) {}
}
