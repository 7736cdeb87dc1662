/** Value objects of the Neon API v2 as {@link dev.lifeboat.neon.NeonClient} returns them. */
package dev.lifeboat.neon.api;
