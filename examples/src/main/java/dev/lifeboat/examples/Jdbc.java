package dev.lifeboat.examples;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Opens JDBC connections for the Lifeboat-style URIs the examples take ({@code postgresql://user:pw@host:port/db}). */
public final class Jdbc {
  private Jdbc() {}

  /** A connection to the database a {@code postgresql://}, {@code postgres://} or {@code jdbc:postgresql://} URI names. */
  public static Connection connect(String uri) throws SQLException {
    if (uri.startsWith("jdbc:")) {
      return DriverManager.getConnection(uri);
    }
    URI u = URI.create(uri.replaceFirst("^postgres(ql)?://", "postgresql://"));
    Properties props = new Properties();
    if (u.getRawUserInfo() != null) {
      String[] parts = u.getRawUserInfo().split(":", 2);
      props.setProperty("user", decode(parts[0]));
      if (parts.length == 2) {
        props.setProperty("password", decode(parts[1]));
      }
    }
    String host = u.getHost() == null ? "localhost" : u.getHost();
    String port = u.getPort() < 0 ? "" : ":" + u.getPort();
    String query = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
    return DriverManager.getConnection("jdbc:postgresql://" + host + port + u.getRawPath() + query, props);
  }

  /** The database name of a PostgreSQL URI: its path without the leading slash. */
  public static String databaseName(String uri) {
    String noQuery = uri.split("\\?", 2)[0];
    return decode(noQuery.substring(noQuery.lastIndexOf('/') + 1));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
