package dev.lifeboat.pgdump;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.Formats;
import dev.lifeboat.Inventory;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.postgres.ChildProcess;
import dev.lifeboat.postgres.PgCatalog;
import dev.lifeboat.postgres.PgErrors;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.postgres.Words;
import dev.lifeboat.spi.Dump;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@code pg_dump}. The exporting transaction stays open on {@link #snapshotConnection}
 * until pg_dump has ended; the exact counts are taken on it, in the dump's snapshot, while pg_dump
 * runs on the other core.
 */
final class PgDump implements Dump {
  private static final Logger LOG = LoggerFactory.getLogger(PgDump.class);

  private final Connection snapshotConnection;
  private final PgLocation connection;
  private final List<String> command;
  private final String format;
  private final Path scratch;
  private final SourceFingerprint source;
  private final Instant consistentAt;
  private final Map<String, String> properties;
  private final DumpSelection selection;
  private final boolean withData;
  private final boolean withDefinitions;

  private ChildProcess process;
  private InputStream stream;
  private Thread tarThread;
  private volatile IOException tarError;
  private CompletableFuture<Inventory> counting;
  private Inventory inventory;
  private boolean finished;
  private boolean closed;

  PgDump(Connection snapshotConnection, PgLocation connection, List<String> command, String format, Path scratch,
      SourceFingerprint source, Instant consistentAt, Map<String, String> properties, DumpSelection selection, boolean withData,
      boolean withDefinitions) {
    this.snapshotConnection = snapshotConnection;
    this.connection = connection;
    this.command = List.copyOf(command);
    this.format = format;
    this.scratch = scratch;
    this.source = source;
    this.consistentAt = consistentAt;
    this.properties = Map.copyOf(properties);
    this.selection = selection;
    this.withData = withData;
    this.withDefinitions = withDefinitions;
  }

  /** The command line pg_dump runs with: it names no host, user or password. */
  List<String> command() {
    return command;
  }

  void start() {
    process = ChildProcess.start(command, connection, false, null);
    try {
      process.stdin().close();
    } catch (IOException e) {
      // pg_dump reads nothing; a closed pipe here changes nothing.
    }
    if (format.equals(Formats.PG_DIRECTORY)) {
      stream = startTar();
    } else {
      stream = process.stdout();
    }
    counting = CompletableFuture.supplyAsync(this::count, r -> {
      Thread t = new Thread(r, "pgdump-count");
      t.setDaemon(true);
      t.start();
    });
  }

  private InputStream startTar() {
    try {
      process.stdout().close();
      PipedInputStream in = new PipedInputStream(1 << 16);
      PipedOutputStream out = new PipedOutputStream(in);
      tarThread = new Thread(() -> {
        try (out) {
          if (process.waitFor() == 0) {
            TarFolders.write(scratch.resolve("dump"), out);
          }
        } catch (IOException e) {
          tarError = e;
        }
      }, "pgdump-tar");
      tarThread.setDaemon(true);
      tarThread.start();
      return in;
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.SOURCE_FAILED, "Cannot stream the pg_dump folder: " + e.getMessage(), e);
    }
  }

  private Inventory count() {
    try {
      try (Statement st = snapshotConnection.createStatement()) {
        // pg_dump reads every table in full on the same server while these counts run: parallel
        // workers would only take CPU from it, and a count still ends long before the dump.
        st.execute("SET LOCAL max_parallel_workers_per_gather = 0");
      }
      List<PgCatalog.Relation> included = PgCatalog.relations(snapshotConnection).stream().filter(selection::includes).toList();
      List<InventoryItem> items = PgCatalog.items(snapshotConnection, included, withData, withDefinitions);
      return new Inventory(items);
    } catch (SQLException e) {
      throw PgErrors.map(e, connection, "counting rows in the dump's snapshot", ErrorCode.SOURCE_FAILED);
    }
  }

  @Override
  public String format() {
    return format;
  }

  @Override
  public InputStream stream() {
    return stream;
  }

  @Override
  public SourceFingerprint source() {
    return source;
  }

  @Override
  public Instant consistentAt() {
    return consistentAt;
  }

  @Override
  public void finish() {
    if (finished) {
      return;
    }
    try {
      // A caller that stopped reading must not leave pg_dump blocked on a full pipe.
      stream.close();
    } catch (IOException e) {
      // Closing our end of the pipe cannot fail in a way that matters.
    }
    int status = process.waitFor();
    if (tarThread != null) {
      try {
        tarThread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (status != 0) {
      throw new LifeboatException(ErrorCode.SOURCE_FAILED, "pg_dump of " + connection + " failed (exit status " + status
          + "): " + process.messages() + System.lineSeparator() + "Nothing was stored.");
    }
    if (tarError != null) {
      throw new LifeboatException(ErrorCode.SOURCE_FAILED, "Streaming the pg_dump folder of " + connection + " failed: "
          + Words.clause(tarError.getMessage()) + ". Nothing was stored.", tarError);
    }
    try {
      inventory = counting.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof LifeboatException ? (LifeboatException) e.getCause()
          : new LifeboatException(ErrorCode.SOURCE_FAILED, "Counting rows failed: " + e.getCause(), e.getCause());
    }
    try (Statement st = snapshotConnection.createStatement()) {
      st.execute("COMMIT");
    } catch (SQLException e) {
      throw PgErrors.map(e, connection, "ending the snapshot transaction", ErrorCode.SOURCE_FAILED);
    }
    finished = true;
    LOG.debug("pg_dump of {} finished: {} objects", connection, inventory.items().size());
  }

  @Override
  public Inventory inventory() {
    if (!finished) {
      throw new IllegalStateException("The inventory of a dump is known only after finish()");
    }
    return inventory;
  }

  @Override
  public Map<String, String> properties() {
    return properties;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (process != null && process.isAlive()) {
      // Whoever closes an unfinished dump (an abort, a failed write) reports why in its own words;
      // a warning here would be a second line for one failure.
      LOG.debug("Stopping pg_dump of {} before it finished", connection);
      process.close();
    }
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException ignored) {
        // Already stopping.
      }
    }
    boolean countingDone = counting == null || counting.isDone();
    try {
      if (!finished && countingDone) {
        try (Statement st = snapshotConnection.createStatement()) {
          st.execute("ROLLBACK");
        }
      }
    } catch (SQLException e) {
      LOG.debug("Rolling back the snapshot transaction failed: {}", e.getMessage());
    } finally {
      try {
        // Closing also ends a count still running; the server rolls the transaction back.
        snapshotConnection.close();
      } catch (SQLException e) {
        LOG.debug("Closing the snapshot connection failed: {}", e.getMessage());
      }
      if (tarThread != null) {
        try {
          tarThread.join(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      TarFolders.deleteTree(scratch);
    }
  }
}
