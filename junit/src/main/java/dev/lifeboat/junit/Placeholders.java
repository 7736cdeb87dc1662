package dev.lifeboat.junit;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${sys:NAME}} with a system property and {@code ${env:NAME}} with an environment
 * variable in {@link Restored} attributes. A placeholder whose value is not set is an error naming
 * it: an empty server or target would silently mean something else.
 */
final class Placeholders {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(sys|env):([^}]+)}");

  private final UnaryOperator<String> properties;
  private final UnaryOperator<String> environment;

  Placeholders(UnaryOperator<String> properties, UnaryOperator<String> environment) {
    this.properties = properties;
    this.environment = environment;
  }

  static Placeholders system() {
    return new Placeholders(System::getProperty, System::getenv);
  }

  /**
   * {@code text} with every placeholder replaced.
   *
   * @throws IllegalArgumentException naming the first placeholder that is not set
   */
  String resolve(String attribute, String text) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(2).trim();
      boolean sys = m.group(1).equals("sys");
      String value = sys ? properties.apply(name) : environment.apply(name);
      if (value == null) {
        throw new IllegalArgumentException("@Restored(" + attribute + ") uses ${" + m.group(1) + ":" + name + "}, but "
            + (sys ? "system property" : "environment variable") + " " + name + " is not set; set it"
            + (sys ? " (-D" + name + "=…)" : "") + " or change the attribute");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
