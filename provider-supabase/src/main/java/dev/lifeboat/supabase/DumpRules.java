package dev.lifeboat.supabase;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The managed schemas, tables and roles of a Supabase project, read from the versioned resource
 * {@code dump-rules.properties} (the lists of {@code supabase db dump}). One place to update when
 * Supabase changes them; the manifest records {@link #version()}.
 *
 * @param version which release of Supabase's lists these are
 * @param managedSchemas schemas the platform defines (pg_dump patterns): a restore into another
 *     Supabase project loads only their data
 * @param excludedSchemas schemas never dumped (pg_dump patterns)
 * @param excludedTables {@code schema.table} never dumped
 * @param reservedRoles roles the platform creates (regular expressions)
 * @param allowedRoleSettings role settings that travel with custom roles (regular expressions)
 * @param apiRoles the API roles grants and policies name
 */
public record DumpRules(String version, List<String> managedSchemas, List<String> excludedSchemas, List<String> excludedTables,
    List<String> reservedRoles, List<String> allowedRoleSettings, List<String> apiRoles) {

  /** The rules shipped with this version of Lifeboat. */
  public static DumpRules standard() {
    Properties p = new Properties();
    try (InputStream in = DumpRules.class.getResourceAsStream("dump-rules.properties")) {
      if (in == null) {
        throw new IllegalStateException("dump-rules.properties is missing from the Supabase provider");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new DumpRules(p.getProperty("version"), list(p, "managedSchemas"), list(p, "excludedSchemas"),
        list(p, "excludedTables"), list(p, "reservedRoles"), list(p, "allowedRoleSettings"), list(p, "apiRoles"));
  }

  private static List<String> list(Properties p, String key) {
    return Arrays.stream(p.getProperty(key, "").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** Whether a schema is never dumped. */
  public boolean excludesSchema(String schema) {
    return excludedSchemas.stream().anyMatch(p -> glob(p).matcher(schema).matches());
  }

  /** Whether a schema's definitions belong to the platform (only its data moves between projects). */
  public boolean managesSchema(String schema) {
    return managedSchemas.stream().anyMatch(p -> glob(p).matcher(schema).matches());
  }

  /** Whether a role is one the platform creates itself. */
  public boolean reservesRole(String role) {
    return reservedRoles.stream().anyMatch(r -> Pattern.compile(r).matcher(role).matches()) || role.startsWith("pg_");
  }

  /** Whether a role setting travels with a custom role. */
  public boolean allowsRoleSetting(String name) {
    return allowedRoleSettings.stream().anyMatch(r -> Pattern.compile(r).matcher(name).matches());
  }

  /** A pg_dump schema pattern ({@code pg_*}) as a regular expression over a whole name. */
  static Pattern glob(String pattern) {
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(re.toString());
  }
}
