package dev.lifeboat.junit;

import dev.lifeboat.Location;
import dev.lifeboat.Redactor;
import dev.lifeboat.postgres.PgLocation;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** A copy on a PostgreSQL server. */
final class PgCopy implements RestoredDatabase {
  private final PgLocation at;
  private final Location uri;
  private final String snapshotId;
  private final String jdbcUrl;
  private final PGSimpleDataSource dataSource;

  PgCopy(PgLocation at, String snapshotId) {
    this.at = at;
    this.uri = at.toLocation();
    this.snapshotId = snapshotId;
    String password = uri.password().orElse(null);
    if (password != null) {
      Redactor.register(password);
    }
    StringBuilder url = new StringBuilder(at.jdbcUrl()).append("?user=").append(encode(at.user()));
    if (password != null) {
      url.append("&password=").append(encode(password));
    }
    at.params().forEach((k, v) -> url.append('&').append(encode(k)).append('=').append(encode(v)));
    this.jdbcUrl = url.toString();
    this.dataSource = new PGSimpleDataSource();
    dataSource.setURL(jdbcUrl);
    dataSource.setApplicationName("lifeboat-junit");
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String name() {
    return at.database();
  }

  @Override
  public String jdbcUrl() {
    return jdbcUrl;
  }

  @Override
  public Location uri() {
    return uri;
  }

  @Override
  public String snapshotId() {
    return snapshotId;
  }

  @Override
  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public String toString() {
    return "RestoredDatabase{name=" + name() + ", snapshot=" + snapshotId + ", uri=" + at.redacted() + "}";
  }
}
