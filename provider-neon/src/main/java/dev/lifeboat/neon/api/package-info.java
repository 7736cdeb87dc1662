/** Value objects of the Neon API v2 as the provider's Neon client reads them. */
package dev.lifeboat.neon.api;
