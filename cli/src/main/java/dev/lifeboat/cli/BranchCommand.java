package dev.lifeboat.cli;

import dev.lifeboat.Branch;
import dev.lifeboat.BranchRequest;
import dev.lifeboat.Branches;
import dev.lifeboat.Json;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Redactor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lifeboat branch}: throwaway branches on a branching platform (a Neon project, a local PostgreSQL). */
@Command(name = "branch", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Create, list and delete branches on a branching platform.",
    subcommands = {BranchCommand.Create.class, BranchCommand.ListBranches.class, BranchCommand.Delete.class})
final class BranchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Name a branch command: create, list or delete.");
  }

  static String describe(Branch b) {
    return b.name() + "  (id " + b.id() + (b.parentId() == null ? "" : ", parent " + b.parentId())
        + (b.isDefault() ? ", default" : "") + (b.isProtected() ? ", protected" : "")
        + (b.expiresAt() == null ? "" : ", expires " + ListCommand.time(b.expiresAt())) + ")";
  }

  /** What the branch commands share: the platform they work on, and its branching opened for one call. */
  abstract static class OnPlatform extends LifeboatSubcommand {
    @Option(names = "--on", required = true, paramLabel = "URI", description = "The platform, e.g. neon://PROJECT_ID.")
    String on;

    /** Runs {@code work} on the branches of {@code --on}; they and the Lifeboat are closed after. */
    final <T> T withBranches(Function<Branches, T> work) {
      try (Lifeboat lifeboat = openLifeboat(); Branches branches = lifeboat.branches(on)) {
        return work.apply(branches);
      }
    }
  }

  /** {@code lifeboat branch create}. */
  @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Create a branch, optionally of a parent as it was at a UTC instant, optionally expiring.")
  static final class Create extends OnPlatform {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The new branch's name.")
    String name;

    @Option(names = "--parent", paramLabel = "P", description = "The parent branch's name or id. Default: the default branch.")
    String parent;

    @Option(names = "--at", paramLabel = "INSTANT", converter = Converters.InstantConverter.class,
        description = "The parent as it was at this UTC instant, e.g. 2026-11-21T10:00:00Z.")
    Instant at;

    @Option(names = "--expires-in", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
        description = "Let the platform delete the branch after this long, e.g. 2h, 7d or PT2H.")
    Duration expiresIn;

    @Override
    public Integer call() {
      String where = Summaries.location(on);
      String unknown = "branch " + name + " may have been created on " + where + " and left in place: check with 'lifeboat branch list --on "
          + where + "'.";
      return withBranches(branches -> {
        Instant expiresAt = expiresIn == null ? null : Instant.now().plus(expiresIn);
        Branch branch;
        try (ReportOnSignal signals = ReportOnSignal.install("branch create", true, unknown, err())) {
          try {
            // The command line creates branches to keep: the handle hands the branch over.
            branch = branches.create(new BranchRequest(name, parent, at, expiresAt)).keep();
          } catch (RuntimeException e) {
            if (signals.fired()) {
              // The shutdown hook says what was left in one line; the JVM exits with the signal's status.
              signals.ended(leftOnPlatform(e, unknown));
              return LifeboatCli.FAILED;
            }
            throw e;
          }
          if (signals.fired()) {
            signals.ended("branch " + name + " was created on " + where + " and is kept.");
            return LifeboatCli.FAILED;
          }
        }
        out().println("Created branch " + describe(branch));
        out().println("Connect: " + branches.connect(branch).redacted());
        return LifeboatCli.OK;
      });
    }
  }

  /**
   * The part of a failed create's message that says what the platform holds now (the Neon
   * provider ends it with "Branch … was created … left in place" or "No branch … was created"),
   * else {@code unknown}.
   */
  static String leftOnPlatform(RuntimeException e, String unknown) {
    String message = e.getMessage() == null ? "" : Redactor.redact(e.getMessage());
    for (String marker : List.of(" Branch ", " No branch ")) {
      int at = message.lastIndexOf(marker);
      if (at >= 0 && message.indexOf(" created", at) > 0) {
        String state = message.substring(at + 1).strip();
        return Character.toLowerCase(state.charAt(0)) + state.substring(1);
      }
    }
    return unknown;
  }

  /** {@code lifeboat branch list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "List the branches of a platform.")
  static final class ListBranches extends OnPlatform {
    @Option(names = "--json", description = "Print the branches as a JSON array.")
    boolean json;

    @Override
    public Integer call() {
      List<Branch> branches = withBranches(Branches::list);
      if (json) {
        out().println(Json.write(branches));
        return LifeboatCli.OK;
      }
      Table t = new Table("NAME", "ID", "PARENT", "CREATED (UTC)", "EXPIRES (UTC)", "FLAGS");
      for (Branch b : branches) {
        String flags = (b.isDefault() ? "default " : "") + (b.isProtected() ? "protected" : "");
        t.row(b.name(), b.id(), b.parentId() == null ? "-" : b.parentId(), ListCommand.time(b.createdAt()),
            ListCommand.time(b.expiresAt()), flags.trim());
      }
      out().print(t.render());
      out().println(Summaries.count(branches.size(), "branch", "branches") + " on " + Summaries.location(on));
      return LifeboatCli.OK;
    }
  }

  /** {@code lifeboat branch delete}. */
  @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Delete a branch. The default and protected branches are refused.")
  static final class Delete extends OnPlatform {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The branch's name or id.")
    String name;

    @Override
    public Integer call() {
      withBranches(branches -> {
        branches.delete(name);
        return name;
      });
      out().println("Deleted branch " + name);
      return LifeboatCli.OK;
    }
  }
}
