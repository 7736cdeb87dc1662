package dev.lifeboat.neon.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A database on a Neon branch.
 *
 * @param id its numeric id
 * @param branchId the branch
 * @param name the database name
 * @param ownerName the role that owns it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NeonDatabase(long id, String branchId, String name, String ownerName) {}
