package dev.lifeboat.neon.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A role on a Neon branch. Its password is never kept here.
 *
 * @param branchId the branch
 * @param name the role name
 * @param isProtected whether Neon protects it (system roles)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NeonRole(String branchId, String name, @JsonProperty("protected") boolean isProtected) {}
