package dev.lifeboat.cli;

import dev.lifeboat.Json;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Verification;
import dev.lifeboat.VerifyRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lifeboat verify}: checks a stored archive, or a restored database against its snapshot. */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {
        "Verify a stored snapshot, or a database restored from it.",
        "Without --destination: the stored archive's size, SHA-256 and format. With --destination: that "
            + "restored database against the snapshot's manifest (tables, columns, exact row counts) and the "
            + "checks given here. Exits 3 when a check fails."
    })
final class VerifyCommand extends LifeboatSubcommand {

  @Mixin SnapshotOptions stored;

  @Option(names = "--destination", paramLabel = "URI", description = "A database the snapshot was restored into.")
  String destination;

  @Option(names = "--table", paramLabel = "T", description = "Only this table was restored. Repeatable.")
  List<String> tables = new ArrayList<>();

  @Mixin ExpectationOptions checks;

  @Mixin KeyOptions keys;

  @Mixin NotifyOptions notify;

  @Option(names = "--json", description = "Print the verification as JSON.")
  boolean json;

  @Override
  public Integer call() {
    VerifyRequest.Builder request = VerifyRequest.builder(stored.target, stored.snapshot).tables(tables);
    keys.read().ifPresent(request::privateKey);
    checks.expectations().forEach(request::expect);
    if (destination != null) {
      request.destination(destination);
    } else if (!checks.expectations().isEmpty()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--expect-sql, --fresh and --no-orphans check a restored database: add --destination URI.");
    }
    Verification verification;
    try (Lifeboat lifeboat = openLifeboat(notify)) {
      verification = lifeboat.verify(request.build());
    }
    out().println(json ? Json.write(verification) : Summaries.verification(verification));
    return verification.passed() ? LifeboatCli.OK : LifeboatCli.NOT_VERIFIED;
  }
}
