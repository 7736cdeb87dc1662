package dev.lifeboat.supabase;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import java.util.regex.Pattern;

/**
 * {@code supabase://PROJECT_REF}: a Supabase project, named by its ref (exactly 20 lowercase
 * letters, as the Management API defines it). Anything else is a configuration error (exit 2).
 *
 * @param ref the project ref
 */
public record SupabaseLocation(String ref) {
  /** The scheme served. */
  public static final String SCHEME = "supabase";
  private static final Pattern REF = Pattern.compile("[a-z]{20}");

  /** Parses {@code supabase://REF}; refuses any other shape with one line saying what a ref looks like. */
  public static SupabaseLocation parse(Location location) {
    String rest = location.schemeSpecificPart();
    String ref = rest.startsWith("//") ? rest.substring(2) : rest;
    if (ref.endsWith("/")) {
      ref = ref.substring(0, ref.length() - 1);
    }
    if (!REF.matcher(ref).matches()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "'" + location + "' is not a Supabase project location:"
          + " write supabase://PROJECT_REF, where the ref is the 20 lowercase letters in the project's dashboard URL"
          + " (Project Settings > General > Reference ID).");
    }
    return new SupabaseLocation(ref);
  }

  /** {@code supabase://REF}. */
  public Location location() {
    return Location.parse(uri());
  }

  /** {@code supabase://REF} as text. */
  public String uri() {
    return SCHEME + "://" + ref;
  }

  @Override
  public String toString() {
    return uri();
  }
}
