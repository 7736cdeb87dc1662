package dev.lifeboat.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
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
      throw new Untrusted("manifest.json is not valid JSON" + where(e, bytes.length), e);
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
      throw new Untrusted("manifest.json does not describe a snapshot" + what(e), e);
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

  /**
   * What is wrong with JSON read from a stream of unknown length: where it stops being JSON, or
   * which field holds the wrong kind of value. Never the parser's own text.
   */
  static String problem(JsonProcessingException e) {
    return e instanceof JsonMappingException ? what(e) : where(e, Integer.MAX_VALUE);
  }

  /**
   * Where the JSON stops being JSON, as a person finds it in an editor: {@code (line 1, column 5)},
   * or {@code (it ends early, at line 3, column 1)}. Never the parser's own text, which names its
   * classes and internal source descriptions.
   */
  private static String where(IOException e, int length) {
    JsonLocation at = e instanceof JsonProcessingException j ? j.getLocation() : null;
    String position = at == null || at.getLineNr() < 1 ? "" : "line " + at.getLineNr() + (at.getColumnNr() < 1 ? "" : ", column " + at.getColumnNr());
    boolean atTheEnd = at != null && at.getByteOffset() >= length;
    if (e instanceof JsonEOFException || atTheEnd) {
      return position.isEmpty() ? " (it ends early)" : " (it ends early, at " + position + ")";
    }
    return position.isEmpty() ? "" : " (" + position + ")";
  }

  /**
   * Which field of a well-formed manifest could not be read, in its JSON path ({@code archive.size},
   * {@code tables[2].rows}); a required field that is missing by its name. Never the mapper's text.
   */
  private static String what(Exception e) {
    if (e instanceof ValueInstantiationException v && v.getCause() instanceof NullPointerException missing
        && missing.getMessage() != null && missing.getMessage().matches("[A-Za-z0-9_]+")) {
      return " (it has no " + missing.getMessage() + ")";
    }
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder();
      for (JsonMappingException.Reference ref : m.getPath()) {
        if (ref.getFieldName() != null) {
          path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
        }
      }
      if (path.length() > 0) {
        return " (its field " + path + " holds a value of the wrong kind)";
      }
    }
    return " (its fields are not those of a Lifeboat manifest)";
  }
}
