package dev.lifeboat;

import java.time.Instant;
import java.util.Map;

/**
 * A branch of a branching platform: a Neon branch, a local template copy.
 *
 * @param id the platform's id
 * @param name the branch's name
 * @param parentId the parent's id, or {@code null}
 * @param createdAt when it was created
 * @param expiresAt when the platform deletes it by itself, or {@code null}
 * @param isDefault whether this is the platform's default (production) branch
 * @param isProtected whether the platform protects it
 * @param attributes platform facts (state, logical size, parent LSN)
 */
public record Branch(
    String id,
    String name,
    String parentId,
    Instant createdAt,
    Instant expiresAt,
    boolean isDefault,
    boolean isProtected,
    Map<String, String> attributes) {
  public Branch {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }
}
