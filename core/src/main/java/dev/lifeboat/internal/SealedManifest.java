package dev.lifeboat.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.Json;
import dev.lifeboat.Manifest;
import dev.lifeboat.SnapshotKind;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * The stored form of a manifest: its JSON plus {@value #SEAL}, the SHA-256 of the manifest's
 * canonical JSON without that field. The seal is checked on every read, so an edited count or an
 * edited archive checksum makes the manifest untrusted instead of believed.
 *
 * <p>Canonical JSON is the parsed document with the seal removed, object fields sorted by name at
 * every level, written without spaces (Jackson's escaping, UTF-8). It is computed from the parsed
 * document, not from {@link Manifest}, so a newer Lifeboat may add fields that an older one
 * ignores yet still checks. A manifest without a seal is refused: every manifest ever written
 * carries one.
 */
final class SealedManifest {
  /** The field holding the seal. */
  static final String SEAL = "manifestSha256";
  private static final java.util.regex.Pattern SHA256_HEX = java.util.regex.Pattern.compile("[0-9a-f]{64}");
  private static final ObjectWriter COMPACT = Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);

  private SealedManifest() {}

  /** Why a stored manifest cannot be trusted. */
  static final class Untrusted extends Exception {
    private static final long serialVersionUID = 1L;

    Untrusted(String reason, Throwable cause) {
      super(reason, cause);
    }
  }

  /** The bytes of {@code manifest.json} for {@code manifest}: indented JSON with its seal. */
  static byte[] write(Manifest manifest) throws IOException {
    // Sealed as it will be read back: parsed from the bytes, not from the Java value.
    ObjectNode tree = (ObjectNode) Json.mapper().readTree(Json.mapper().writeValueAsBytes(manifest));
    tree.put(SEAL, sealOf(tree));
    return Json.mapper().writeValueAsBytes(tree);
  }

  /** The manifest in {@code bytes}, when they are a sealed manifest whose seal matches. */
  static Manifest read(byte[] bytes) throws Untrusted {
    JsonNode node;
    try {
      node = Json.mapper().readTree(bytes);
    } catch (IOException e) {
      throw new Untrusted("manifest.json is not valid JSON (" + firstLine(e) + ")", e);
    }
    if (!(node instanceof ObjectNode)) {
      throw new Untrusted("manifest.json holds no JSON object", null);
    }
    ObjectNode tree = (ObjectNode) node;
    JsonNode seal = tree.remove(SEAL);
    if (seal == null || !seal.isTextual()) {
      throw new Untrusted("manifest.json has no " + SEAL + " seal, so its content cannot be trusted", null);
    }
    if (!sealOf(tree).equals(seal.asText())) {
      throw new Untrusted("manifest.json was changed after it was written (its content does not match its " + SEAL + ")", null);
    }
    Manifest manifest;
    try {
      manifest = Json.mapper().treeToValue(tree, Manifest.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new Untrusted("manifest.json does not describe a snapshot (" + firstLine(e) + ")", e);
    }
    // Every archive Lifeboat stores has its size and SHA-256 recorded; without them nothing can
    // check the archive, so the snapshot is damaged rather than listed as intact and failing later.
    if (manifest.kind() == SnapshotKind.ARCHIVE && (manifest.sha256() == null || !SHA256_HEX.matcher(manifest.sha256()).matches())) {
      throw new Untrusted("manifest.json records no SHA-256 of its archive (sha256: " + manifest.sha256() + ")", null);
    }
    if (manifest.kind() == SnapshotKind.ARCHIVE && manifest.size() < 0) {
      throw new Untrusted("manifest.json records a negative archive size (" + manifest.size() + ")", null);
    }
    return manifest;
  }

  static String sealOf(ObjectNode manifestWithoutSeal) {
    try {
      byte[] canonical = COMPACT.writeValueAsBytes(sorted(manifestWithoutSeal));
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot compute the manifest seal", e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      ObjectNode out = object.objectNode();
      for (String name : names) {
        out.set(name, sorted(object.get(name)));
      }
      return out;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode out = array.arrayNode();
      for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
        out.add(sorted(it.next()));
      }
      return out;
    }
    return node;
  }

  private static String firstLine(Exception e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    m = m == null ? e.getClass().getSimpleName() : m;
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
