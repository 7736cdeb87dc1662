package dev.lifeboat.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.BackupRequest;
import dev.lifeboat.Check;
import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Json;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Snapshot;
import dev.lifeboat.Verification;
import dev.lifeboat.VerifyRequest;
import dev.lifeboat.mongo.archive.ArchiveHeader;
import dev.lifeboat.mongo.archive.CollectionMetadata;
import dev.lifeboat.mongo.archive.MongoArchiveWriter;
import dev.lifeboat.mongo.archive.Namespace;
import dev.lifeboat.mongo.jsonb.JsonbStandbyRestorer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify} without a destination reads every block of a mongo-archive snapshot, decompressed,
 * and checks every CRC: damage that a rewritten manifest checksum hides is still found.
 */
class ArchiveReadTest {
  private static MongoFixture mongo;
  private static Lifeboat lifeboat;

  @TempDir
  Path backups;

  @BeforeAll
  static void start() {
    mongo = new MongoFixture();
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      docs.add(new Document("_id", i).append("s", "value-" + i + "-zzzz"));
    }
    mongo.client.getDatabase("shop").getCollection("orders").insertMany(docs);
    mongo.client.getDatabase("shop").getCollection("customers").insertOne(new Document("_id", "ada"));
    lifeboat = Lifeboat.builder().secrets(n -> Optional.empty()).build();
  }

  @AfterAll
  static void stop() {
    lifeboat.close();
    mongo.close();
  }

  private Snapshot backup(Compression compression) {
    return lifeboat.backup(BackupRequest.builder(mongo.uri("shop"), "file:" + backups)
        .options(DumpOptions.builder().compression(compression).build()).build());
  }

  private Path storedFile(Snapshot s) throws Exception {
    try (var files = Files.list(backups.resolve(s.id()))) {
      return files.filter(f -> f.getFileName().toString().startsWith("archive.")).findFirst().orElseThrow();
    }
  }

  /** Replaces the stored bytes and rewrites the manifest's size and SHA-256 to match them. */
  private void storeWithMatchingManifest(Snapshot s, byte[] stored) throws Exception {
    Files.write(storedFile(s), stored);
    Path manifest = backups.resolve(s.id()).resolve("manifest.json");
    ObjectNode json = (ObjectNode) Json.mapper().readTree(manifest.toFile());
    json.put("size", stored.length);
    json.put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)));
    // Sealed again as the file target seals it (SHA-256 of the compact JSON, fields sorted, without the seal):
    // the damage must be found in the archive, not in a manifest that no longer matches its seal.
    json.remove("manifestSha256");
    byte[] canonical = Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(sorted(json));
    json.put("manifestSha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical)));
    Json.mapper().writeValue(manifest.toFile(), json);
  }

  private static JsonNode sorted(JsonNode node) {
    if (node instanceof ObjectNode object) {
      ObjectNode out = object.objectNode();
      TreeSet<String> names = new TreeSet<>();
      object.fieldNames().forEachRemaining(names::add);
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

  /** One character of one document changed: still valid BSON, the block's CRC no longer matches. */
  private static byte[] withOneDocumentAltered(byte[] archive) {
    byte[] out = archive.clone();
    int at = new String(out, StandardCharsets.ISO_8859_1).indexOf("value-150-zzzz");
    assertThat(at).as("document to alter").isPositive();
    out[at + 10] = 'y';
    return out;
  }

  private Verification verify(Snapshot s) {
    return lifeboat.verify(VerifyRequest.builder("file:" + backups, s.id()).build());
  }

  private static Check check(Verification v, String name) {
    return v.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aSoundSnapshotIsReadWholeAndDescribed() {
    Snapshot s = backup(Compression.GZIP);
    Verification v = verify(s);
    assertThat(v.passed()).as(v.toString()).isTrue();
    assertThat(check(v, "archive readable as mongo-archive").detail())
        .startsWith("2 namespaces, 301 documents (").endsWith(" bytes), every document decoded, every block's CRC-64 checked");
  }

  @Test
  void aCorruptDocumentInAGzipSnapshotWhoseChecksumWasRewrittenFailsWithChecksumMismatch() throws Exception {
    Snapshot s = backup(Compression.GZIP);
    byte[] plain;
    try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(storedFile(s)))) {
      plain = in.readAllBytes();
    }
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(withOneDocumentAltered(plain));
    }
    storeWithMatchingManifest(s, gz.toByteArray());

    Verification v = verify(s);
    assertThat(check(v, "size and sha256").status()).isEqualTo(Check.Status.PASSED);
    assertThat(check(v, "archive readable as mongo-archive").status()).isEqualTo(Check.Status.FAILED);
    assertThat(check(v, "archive readable as mongo-archive").detail()).contains("CRC mismatch for namespace shop.orders");

    Snapshot damaged = lifeboat.snapshot("file:" + backups, s.id());
    for (var restorer : List.of(new MongoRestorer(lifeboat.providerContext()), new JsonbStandbyRestorer(lifeboat.providerContext()))) {
      assertThatThrownBy(() -> restorer.readArchive(new BytesArchive(damaged.manifest(), withOneDocumentAltered(plain))))
          .isInstanceOf(LifeboatException.class).hasMessageContaining("CRC mismatch")
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
    }
  }

  @Test
  void damagedCompressedBytesWhoseChecksumWasRewrittenAreAnIntegrityFailureNotAReadError() throws Exception {
    Snapshot s = backup(Compression.ZSTD);
    byte[] stored = Files.readAllBytes(storedFile(s));
    stored[stored.length / 2] ^= 0x5A;
    storeWithMatchingManifest(s, stored);
    Verification v = verify(s);
    assertThat(check(v, "size and sha256").status()).isEqualTo(Check.Status.PASSED);
    assertThat(check(v, "archive readable as mongo-archive").status()).isEqualTo(Check.Status.FAILED);

    // An archive gzipped as a whole, as 'mongodump --archive --gzip' writes it, damaged inside the gzip stream.
    Snapshot plain = backup(Compression.NONE);
    byte[] gzipped = TestData.gzip(Files.readAllBytes(storedFile(plain)));
    gzipped[gzipped.length / 2] ^= 0x5A;
    assertThatThrownBy(() -> new MongoRestorer(lifeboat.providerContext()).readArchive(new BytesArchive(plain.manifest(), gzipped)))
        .isInstanceOf(LifeboatException.class)
        .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
  }

  @Test
  void aDocumentThatIsNotValidBsonButHasAMatchingCrcFailsTheFullRead() {
    // {"_id": 1, "s": "abc"} with the string's length field claiming 9 bytes: the document's own
    // length and terminator are fine, so framing and CRC pass, but no restore could load it.
    byte[] doc = MongoFixture.bytes(org.bson.RawBsonDocument.parse("{\"_id\": 1, \"s\": \"abc\"}"));
    int lengthAt = new String(doc, StandardCharsets.ISO_8859_1).indexOf("abc") - 4;
    doc[lengthAt] = 9;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MongoArchiveWriter w = new MongoArchiveWriter(out);
    Namespace ns = new Namespace("lab", "bent");
    w.writePrelude(new ArchiveHeader(1, "0.1", "7.0.0", "test"), List.of(CollectionMetadata.of("lab", "bent", "collection", null, List.of(), "")));
    w.writeDocument(ns, org.bson.RawBsonDocument.parse("{\"_id\": 0}"));
    w.writeDocuments(ns, doc, 0, doc.length);
    w.endNamespace(ns);
    w.finish();
    dev.lifeboat.Manifest manifest = dev.lifeboat.Manifest.builder().id("20240101T000000Z-bent").format("mongo-archive")
        .source(new dev.lifeboat.SourceFingerprint("mongodb", "7.0.0", "lab", "mongodb://elsewhere/lab")).build();
    BytesArchive archive = new BytesArchive(manifest, out.toByteArray());
    MongoRestorer restorer = new MongoRestorer(lifeboat.providerContext());
    assertThat(restorer.checkArchive(archive)).isEqualTo("1 namespaces, 2 documents, CRC-64 checked");
    assertThatThrownBy(() -> restorer.readArchive(archive)).isInstanceOf(LifeboatException.class)
        .hasMessageContaining("Document 2 of lab.bent is not valid BSON")
        .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
  }
}
