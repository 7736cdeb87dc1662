package dev.lifeboat.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

/** Runs the CLI in-process with captured standard output and error. */
final class Cli {
  private Cli() {}

  /** The outcome of one command line. */
  record Result(int exit, String out, String err) {
    List<String> outLines() {
      return out.isBlank() ? List.of() : Arrays.asList(out.strip().split("\\R"));
    }

    List<String> errLines() {
      return err.isBlank() ? List.of() : Arrays.asList(err.strip().split("\\R"));
    }

    String lastOutLine() {
      List<String> lines = outLines();
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    String all() {
      return out + err;
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- out ---\n" + out + "--- err ---\n" + err;
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = LifeboatCli.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(exit, out.toString(), err.toString());
  }
}
