package dev.lifeboat.cli;

import dev.lifeboat.Lifeboat;
import dev.lifeboat.Version;
import picocli.CommandLine.IVersionProvider;

/** {@code lifeboat --version}: the version, the Java runtime and the installed schemes. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String schemes;
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      schemes = String.join(", ", lifeboat.schemes());
    }
    return new String[] {
        "lifeboat " + Version.current(),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
        "Schemes: " + schemes
    };
  }
}
