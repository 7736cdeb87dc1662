package dev.lifeboat.mongo;

import com.mongodb.client.MongoClient;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Location;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.ScratchDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Throwaway databases on one MongoDB deployment, for drills. MongoDB creates a database on the
 * first write, so {@link #locate} only renames the URI's database; credentials that were checked
 * against the URI's database keep it as their {@code authSource}.
 */
final class MongoScratchDatabases implements ScratchDatabases {
  private final MongoUri server;
  private final ProviderContext context;

  MongoScratchDatabases(MongoUri server, ProviderContext context) {
    this.server = server;
    this.context = context;
  }

  @Override
  public Location locate(String name) {
    String raw = server.location().raw();
    int path = raw.indexOf('/', raw.indexOf("://") + 3);
    int query = raw.indexOf('?', path);
    String options = query < 0 ? "" : raw.substring(query + 1);
    boolean credentials = raw.substring(0, path).contains("@");
    if (credentials && !options.toLowerCase(Locale.ROOT).contains("authsource=")) {
      options = (options.isEmpty() ? "" : options + "&") + "authSource=" + server.database();
    }
    return Location.parse(raw.substring(0, path) + "/" + name + (options.isEmpty() ? "" : "?" + options));
  }

  @Override
  public List<String> list(String prefix) {
    try (MongoClient client = connect()) {
      List<String> out = new ArrayList<>();
      client.listDatabaseNames().forEach(n -> {
        if (n.startsWith(prefix)) {
          out.add(n);
        }
      });
      return out;
    } catch (RuntimeException e) {
      throw MongoErrors.wrap(e, "Listing databases", server, ErrorCode.CONNECTION);
    }
  }

  @Override
  public void drop(String name) {
    try (MongoClient client = connect()) {
      client.getDatabase(name).drop();
    } catch (RuntimeException e) {
      throw MongoErrors.wrap(e, "Dropping database " + name, server, ErrorCode.RESTORE_FAILED);
    }
  }

  private MongoClient connect() {
    return server.connect(context.secrets(), new MongoSettings(context, null).serverSelectionTimeoutMs());
  }
}
