package dev.lifeboat.cli;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Expectation;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import dev.lifeboat.Verification;
import dev.lifeboat.VerifyRequest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lifeboat demo}: the whole job on an embedded PostgreSQL — sample data, a backup into a
 * local folder, a restore into a fresh database, and a verification. Exits 0 only when it verified.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {
        "Back up, restore and verify a sample database on an embedded PostgreSQL.",
        "Creates sample data, backs it up into a local folder, restores it into a fresh database and "
            + "verifies it. Needs pg_dump and pg_restore (15 or newer) on the PATH. Exits 0 only when the "
            + "restored database verified."
    })
final class DemoCommand extends LifeboatSubcommand {
  static final String SOURCE_DB = "shop";
  static final String RESTORED_DB = "shop_restored";

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "lifeboat-demo",
      description = "The folder that keeps the demo's snapshots. Default: ./${DEFAULT-VALUE}.")
  Path dir;

  @Option(names = "--rows", paramLabel = "N", defaultValue = "2000", converter = Converters.DemoRowsConverter.class,
      description = "Orders to create, 1 to " + DemoData.MAX_ORDERS + " (customers and order items scale with it). "
          + "Default: ${DEFAULT-VALUE}.")
  int rows;

  @Override
  public Integer call() {
    PrintWriter out = out();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      // Found before the embedded server starts and the sample data is made, not after.
      throw new LifeboatException(ErrorCode.CONFIGURATION, "--dir " + dir + " is a file, not a folder. Give a folder for"
          + " the demo's snapshots (created when missing).");
    }
    step(out, 1, "Starting an embedded PostgreSQL");
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      String server = DemoData.serverVersion(pg.getPostgresDatabase());
      out.println("      PostgreSQL " + server + " on localhost:" + pg.getPort());

      step(out, 2, "Creating sample data in database '" + SOURCE_DB + "'");
      DemoData.createDatabase(pg.getPostgresDatabase(), SOURCE_DB);
      DemoData.Summary data = DemoData.fill(pg.getDatabase("postgres", SOURCE_DB), rows);
      out.println("      " + data);

      String source = "postgresql://postgres@localhost:" + pg.getPort() + "/" + SOURCE_DB;
      String destination = "postgresql://postgres@localhost:" + pg.getPort() + "/" + RESTORED_DB;
      String target = Location.of(dir).raw();
      try (Lifeboat lifeboat = openLifeboat()) {
        step(out, 3, "Backing up " + source + " into " + target);
        Snapshot snapshot = lifeboat.backup(BackupRequest.builder(source, target).label("demo", "true").build());
        out.println("      " + Summaries.snapshot(snapshot));

        step(out, 4, "Restoring snapshot " + snapshot.id() + " into a fresh database '" + RESTORED_DB + "'");
        DemoData.createDatabase(pg.getPostgresDatabase(), RESTORED_DB);
        RestoreResult restored = lifeboat.restore(RestoreRequest.builder(target, snapshot.id(), destination).build());
        out.println("      " + Summaries.restore(restored));

        step(out, 5, "Verifying " + RESTORED_DB + " against the snapshot's manifest");
        Verification verification = lifeboat.verify(VerifyRequest.builder(target, snapshot.id())
            .destination(destination)
            .expect(Expectation.noOrphanedForeignKeys())
            .expect(Expectation.queryIsTrue("every order has items",
                "SELECT NOT EXISTS (SELECT 1 FROM orders o WHERE NOT EXISTS "
                    + "(SELECT 1 FROM order_items i WHERE i.order_id = o.id))"))
            .expect(Expectation.freshWithin("public.orders", "created_at", Duration.ofDays(1)))
            .build());
        out.println(Summaries.verification(verification));
        out.println();
        if (verification.passed()) {
          out.println("The backup restored and verified. Snapshots are kept in " + dir.toAbsolutePath() + ";");
          out.println("try: " + listCommand(target));
          return LifeboatCli.OK;
        }
        out.println("The restored database did not verify: see the FAIL lines above.");
        return LifeboatCli.NOT_VERIFIED;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("The embedded PostgreSQL failed: " + e.getMessage(), e);
    }
  }

  /**
   * The command that lists the demo's snapshots, as the user can paste it where they are: the jar
   * this CLI runs from, relative to the working folder when it lies inside it (as after the README's
   * build), else absolute.
   */
  static String listCommand(String target) {
    return startCommand() + " list --target " + quoted(target);
  }

  private static String startCommand() {
    try {
      Path jar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(jar)) {
        Path here = Path.of("").toAbsolutePath();
        return "java -jar " + quoted((jar.startsWith(here) ? here.relativize(jar) : jar).toString());
      }
    } catch (URISyntaxException | RuntimeException e) {
      // Not started from a jar file (an IDE, the tests): the installed launcher's name will do.
    }
    return "lifeboat";
  }

  /** {@code s}, in double quotes when a shell would split it (a folder with a space). */
  private static String quoted(String s) {
    return s.chars().anyMatch(Character::isWhitespace) ? '"' + s + '"' : s;
  }

  private static void step(PrintWriter out, int n, String text) {
    out.println("[" + n + "/5] " + text + " ...");
    out.flush();
  }
}
