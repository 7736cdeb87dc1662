package dev.lifeboat.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The values of a repeatable {@code KEY=VALUE} option ({@code --label}, {@code --setting}): each
 * with a key and an '=', each key once. A key given twice is refused rather than one value quietly
 * winning: a script that sets a label or a setting twice has a mistake in it.
 */
final class KeyValues {
  private KeyValues() {}

  /**
   * {@code given} as a map in their order, or a usage error of {@code command} naming {@code option}
   * and showing {@code example} of the form it takes.
   */
  static Map<String, String> parse(CommandLine command, String option, String example, List<String> given) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : given) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new ParameterException(command, option + " wants KEY=VALUE, e.g. " + example + ", not '" + pair + "'.");
      }
      String key = pair.substring(0, eq);
      String earlier = values.putIfAbsent(key, pair.substring(eq + 1));
      if (earlier != null) {
        throw new ParameterException(command, option + " " + key + " is given twice (" + key + "=" + earlier
            + " and " + pair + "); give each key once.");
      }
    }
    return values;
  }
}
