package dev.lifeboat.supabase;

import dev.lifeboat.postgres.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a Supabase-aware dump records about the project besides pg_dump's archive: its custom roles
 * (as SQL without passwords, the way {@code supabase db dump --role-only} writes them), every role
 * the dumped objects name (owners, grantees, policy roles), and the extensions with their schemas.
 */
final class ProjectCatalog {
  private ProjectCatalog() {}

  /** The schemas pg_dump will dump: every user schema the rules do not exclude. */
  static List<String> dumpedSchemas(Connection c, DumpRules rules) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' ORDER BY 1")) {
      while (rs.next()) {
        if (!rules.excludesSchema(rs.getString(1))) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /**
   * The tables and sequences of {@code schemas} the connected role may not read ({@code
   * schema.name}): pg_dump would stop on them with a permission error on {@code LOCK TABLE}.
   */
  static List<String> unreadable(Connection c, List<String> schemas) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname, k.relname FROM pg_catalog.pg_class k"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = k.relnamespace WHERE n.nspname = ANY (?) AND k.relkind IN ('r', 'p', 'm', 'S')"
        + " AND NOT (pg_catalog.has_schema_privilege(n.oid, 'USAGE') AND pg_catalog.has_table_privilege(k.oid, 'SELECT'))"
        + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.objid = k.oid AND d.deptype = 'e')"
        + " ORDER BY 1, 2")) {
      ps.setArray(1, c.createArrayOf("text", schemas.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1) + "." + rs.getString(2));
        }
      }
    }
    return out;
  }

  /** The present schemas the rules leave out, for the manifest. */
  static List<String> excludedSchemasPresent(Connection c, DumpRules rules) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' ORDER BY 1")) {
      while (rs.next()) {
        if (rules.excludesSchema(rs.getString(1))) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /** Every role the objects of {@code schemas} name: owners, grantees and policy roles; sorted. */
  static List<String> referencedRoles(Connection c, List<String> schemas) throws SQLException {
    String sql = "WITH d AS (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = ANY (?)),"
        + " r(oid) AS ("
        + " SELECT nspowner FROM pg_catalog.pg_namespace WHERE oid IN (SELECT oid FROM d)"
        + " UNION SELECT relowner FROM pg_catalog.pg_class WHERE relnamespace IN (SELECT oid FROM d)"
        + " UNION SELECT proowner FROM pg_catalog.pg_proc WHERE pronamespace IN (SELECT oid FROM d)"
        + " UNION SELECT typowner FROM pg_catalog.pg_type WHERE typnamespace IN (SELECT oid FROM d)"
        + " UNION SELECT (pg_catalog.aclexplode(nspacl)).grantee FROM pg_catalog.pg_namespace WHERE oid IN (SELECT oid FROM d) AND nspacl IS NOT NULL"
        + " UNION SELECT (pg_catalog.aclexplode(relacl)).grantee FROM pg_catalog.pg_class WHERE relnamespace IN (SELECT oid FROM d) AND relacl IS NOT NULL"
        + " UNION SELECT (pg_catalog.aclexplode(proacl)).grantee FROM pg_catalog.pg_proc WHERE pronamespace IN (SELECT oid FROM d) AND proacl IS NOT NULL"
        + " UNION SELECT (pg_catalog.aclexplode(a.attacl)).grantee FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class k ON k.oid = a.attrelid"
        + "   WHERE k.relnamespace IN (SELECT oid FROM d) AND a.attacl IS NOT NULL"
        + " UNION SELECT unnest(p.polroles) FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class k ON k.oid = p.polrelid"
        + "   WHERE k.relnamespace IN (SELECT oid FROM d)"
        + " UNION SELECT defaclrole FROM pg_catalog.pg_default_acl WHERE defaclnamespace = 0 OR defaclnamespace IN (SELECT oid FROM d)"
        + " UNION SELECT (pg_catalog.aclexplode(defaclacl)).grantee FROM pg_catalog.pg_default_acl"
        + "   WHERE defaclnamespace = 0 OR defaclnamespace IN (SELECT oid FROM d))"
        + " SELECT rolname FROM pg_catalog.pg_roles WHERE oid IN (SELECT oid FROM r) AND rolname !~ '^pg_' ORDER BY 1";
    TreeSet<String> out = new TreeSet<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("text", schemas.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * The RLS policies of {@code schemas}, one a line: {@code schema TAB table TAB policy TAB roles}
   * (comma-separated; {@code public} for everyone).
   */
  static List<String> policies(Connection c, List<String> schemas) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT schemaname, tablename, policyname, array_to_string(roles, ',')"
        + " FROM pg_catalog.pg_policies WHERE schemaname = ANY (?) ORDER BY 1, 2, 3")) {
      ps.setArray(1, c.createArrayOf("text", schemas.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1) + "\t" + rs.getString(2) + "\t" + rs.getString(3) + "\t" + rs.getString(4));
        }
      }
    }
    return out;
  }

  /** The installed extensions, {@code name@schema}. */
  static Map<String, String> extensions(Connection c) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT e.extname, n.nspname FROM pg_catalog.pg_extension e"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace ORDER BY 1")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  /**
   * The custom roles as SQL, one statement a line: {@code CREATE ROLE}, their attributes without
   * password, superuser or replication, the allowed settings, and their memberships. Reserved roles
   * are left out, as are memberships granted to them.
   */
  static List<String> customRoleSql(Connection c, DumpRules rules) throws SQLException {
    List<String> out = new ArrayList<>();
    List<String> custom = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT rolname, rolinherit, rolcreaterole, rolcreatedb,"
        + " rolcanlogin, rolbypassrls, rolconnlimit FROM pg_catalog.pg_roles ORDER BY 1")) {
      while (rs.next()) {
        String name = rs.getString(1);
        if (rules.reservesRole(name)) {
          continue;
        }
        custom.add(name);
        out.add("CREATE ROLE " + Sql.ident(name) + ";");
        out.add("ALTER ROLE " + Sql.ident(name) + " WITH " + (rs.getBoolean(2) ? "INHERIT" : "NOINHERIT")
            + (rs.getBoolean(3) ? " CREATEROLE" : " NOCREATEROLE") + (rs.getBoolean(4) ? " CREATEDB" : " NOCREATEDB")
            + (rs.getBoolean(5) ? " LOGIN" : " NOLOGIN") + (rs.getBoolean(6) ? " BYPASSRLS" : " NOBYPASSRLS")
            + (rs.getInt(7) >= 0 ? " CONNECTION LIMIT " + rs.getInt(7) : "") + ";");
      }
    }
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT r.rolname, unnest(s.setconfig)"
        + " FROM pg_catalog.pg_db_role_setting s JOIN pg_catalog.pg_roles r ON r.oid = s.setrole WHERE s.setdatabase = 0 ORDER BY 1, 2")) {
      while (rs.next()) {
        String role = rs.getString(1);
        String[] kv = rs.getString(2).split("=", 2);
        if (custom.contains(role) && kv.length == 2 && rules.allowsRoleSetting(kv[0])) {
          out.add("ALTER ROLE " + Sql.ident(role) + " SET " + kv[0] + " TO " + Sql.literal(kv[1]) + ";");
        }
      }
    }
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT g.rolname, m.rolname FROM pg_catalog.pg_auth_members a"
        + " JOIN pg_catalog.pg_roles g ON g.oid = a.roleid JOIN pg_catalog.pg_roles m ON m.oid = a.member ORDER BY 1, 2")) {
      while (rs.next()) {
        String granted = rs.getString(1);
        String member = rs.getString(2);
        if (custom.contains(member)) {
          out.add("GRANT " + Sql.ident(granted) + " TO " + Sql.ident(member) + ";");
        }
      }
    }
    return out;
  }
}
