package dev.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Test help: rewrites a file target's manifest.json with a new, valid seal (SHA-256 of the
 * canonical JSON: fields sorted, compact, without the seal), as someone who can write to the store
 * could, so that a changed archive passes the size and SHA-256 check and only the ciphertext's own
 * authentication can catch it.
 */
final class Reseal {
  private static final String SEAL = "manifestSha256";

  private Reseal() {}

  /** Records {@code archive}'s current size and SHA-256 in the manifest beside it. */
  static void toArchive(Path manifestFile, Path archive) throws IOException, NoSuchAlgorithmException {
    ObjectNode tree = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(manifestFile));
    byte[] bytes = Files.readAllBytes(archive);
    tree.remove(SEAL);
    tree.put("size", bytes.length);
    tree.put("sha256", hex(bytes));
    byte[] canonical = Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(sorted(tree));
    tree.put(SEAL, hex(canonical));
    Files.write(manifestFile, Json.mapper().writeValueAsBytes(tree));
  }

  private static String hex(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static JsonNode sorted(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      ObjectNode out = object.objectNode();
      names.forEach(name -> out.set(name, sorted(object.get(name))));
      return out;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode out = array.arrayNode();
      array.elements().forEachRemaining(e -> out.add(sorted(e)));
      return out;
    }
    return node;
  }
}
