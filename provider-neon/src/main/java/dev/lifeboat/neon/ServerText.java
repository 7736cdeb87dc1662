package dev.lifeboat.neon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.Location;
import dev.lifeboat.Redactor;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Makes what the Neon API (or a proxy in front of it) sends safe to show. An error body may echo
 * the request's {@code Authorization} header or the key itself, and answers carry role passwords
 * and connection URIs; none of it may reach a message or a log line.
 */
final class ServerText {
  /** The most characters of a server's text kept in one message. */
  static final int MAX_MESSAGE = 300;

  private static final Pattern CONNECTION_URI = Pattern.compile("(?i)^(postgres(ql)?|jdbc:postgresql)://[^\\s]*@.*");

  private ServerText() {}

  /**
   * The text with every registered secret, URI password and authorization value masked, on one
   * line, cut to {@code max} characters ({@link Redactor#serverLine}).
   */
  static String oneLine(String text, int max) {
    return Redactor.serverLine(text, max);
  }

  /** An HTML error page as its words (a proxy's 502 page says little more than its title). */
  static String withoutMarkup(String text) {
    return Redactor.withoutMarkup(text);
  }

  /**
   * Registers the secrets a successful answer carries: every {@code password} field (e.g.
   * {@code connection_uris[].connection_parameters.password}, {@code reveal_password}) and the
   * password of every connection URI ({@code connection_uris[].connection_uri}, {@code uri}).
   */
  static void registerSecrets(JsonNode node) {
    if (node == null) {
      return;
    }
    if (node.isArray()) {
      node.forEach(ServerText::registerSecrets);
      return;
    }
    if (!node.isObject()) {
      return;
    }
    for (var it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode value = field.getValue();
      if (!value.isTextual()) {
        registerSecrets(value);
      } else if (field.getKey().equalsIgnoreCase("password")) {
        Redactor.register(value.asText());
      } else if (CONNECTION_URI.matcher(value.asText()).matches()) {
        // Parsing registers the URI's password.
        Location.parse(value.asText());
      }
    }
  }
}
