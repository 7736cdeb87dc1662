package dev.lifeboat.mongo.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Archives written by {@link MongoArchiveWriter} follow each rule of section 10 of the format spec
 * (what mongorestore requires) and read back with {@link MongoArchiveReader}.
 */
class ArchiveWriterRulesTest {
  private static final Namespace ORDERS = new Namespace("shop", "orders");
  private static final Namespace EMPTY = new Namespace("shop", "empty");
  private static final Namespace VIEW = new Namespace("shop", "big_orders");
  private static final Namespace TS = new Namespace("shop", "system.buckets.metrics");

  private static byte[] archive;
  private static ArchiveLayout layout;
  private static List<RawBsonDocument> orders;

  @BeforeAll
  static void write() {
    orders = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      orders.add(RawBsonDocument.parse("{\"_id\": " + i + ", \"total\": " + (i * 10) + ", \"note\": \"" + "x".repeat(i) + "\"}"));
    }
    List<CollectionMetadata> entries = List.of(
        CollectionMetadata.of("shop", "orders", "collection", new BsonDocument(),
            List.of(BsonDocument.parse("{\"v\": 2, \"key\": {\"_id\": 1}, \"name\": \"_id_\"}"),
                BsonDocument.parse("{\"v\": 2, \"key\": {\"total\": 1}, \"name\": \"total_1\", \"unique\": true}")),
            "00112233445566778899aabbccddeeff"),
        CollectionMetadata.of("shop", "empty", "collection", new BsonDocument(), List.of(), ""),
        CollectionMetadata.of("shop", "big_orders", "view", BsonDocument.parse(
            "{\"viewOn\": \"orders\", \"pipeline\": [{\"$match\": {\"total\": {\"$gt\": 100}}}]}"), List.of(), ""),
        CollectionMetadata.of("shop", "metrics", "timeseries", BsonDocument.parse(
            "{\"timeseries\": {\"timeField\": \"t\", \"granularity\": \"seconds\"}}"), List.of(), ""));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MongoArchiveWriter w = new MongoArchiveWriter(out);
    w.writePrelude(new ArchiveHeader(2, "0.1", "7.0.14", "lifeboat test"), entries);
    // Interleave two namespaces the way parallel readers do.
    for (int i = 0; i < 25; i++) {
      w.writeDocument(ORDERS, orders.get(i));
    }
    w.writeDocument(TS, RawBsonDocument.parse("{\"_id\": 1, \"control\": {\"version\": 1}}"));
    for (int i = 25; i < 50; i++) {
      w.writeDocument(ORDERS, orders.get(i));
    }
    w.endNamespace(TS);
    w.endNamespace(ORDERS);
    w.endNamespace(EMPTY);
    w.endNamespace(VIEW);
    w.finish();
    archive = out.toByteArray();
    layout = new ArchiveLayout(archive);
  }

  @Test
  void magicNumber() {
    assertThat(archive[0] & 0xFF).isEqualTo(0x6D);
    assertThat(archive[1] & 0xFF).isEqualTo(0xE2);
    assertThat(archive[2] & 0xFF).isEqualTo(0x99);
    assertThat(archive[3] & 0xFF).isEqualTo(0x81);
  }

  @Test
  void headerHasTypedFieldsInOrderAndAParseableServerVersion() {
    assertThat(new ArrayList<>(layout.header.keySet()))
        .containsExactly("concurrent_collections", "version", "server_version", "tool_version");
    assertThat(layout.header.get("concurrent_collections").getBsonType()).isEqualTo(BsonType.INT32);
    assertThat(layout.header.getString("version").getValue()).isEqualTo("0.1");
    assertThat(layout.header.getString("server_version").getValue()).matches("\\d+\\.\\d+\\.\\d+([-+].*)?");
  }

  @Test
  void preludeEntriesCarryValidMetadataJsonWithIndexesAndNames() {
    assertThat(layout.prelude).hasSize(4);
    for (BsonDocument e : layout.prelude) {
      assertThat(new ArrayList<>(e.keySet())).containsExactly("db", "collection", "metadata", "size", "type");
      BsonDocument meta = BsonDocument.parse(e.getString("metadata").getValue());
      assertThat(meta.get("indexes")).isInstanceOf(BsonArray.class);
      assertThat(meta.getString("collectionName").getValue()).isEqualTo(e.getString("collection").getValue());
      assertThat(meta.getString("type").getValue()).isEqualTo(e.getString("type").getValue());
    }
    BsonDocument orders = layout.prelude.get(0);
    BsonDocument meta = BsonDocument.parse(orders.getString("metadata").getValue());
    assertThat(meta.containsKey("options")).as("empty options are left out, as mongodump 100.x does").isFalse();
    assertThat(meta.getString("uuid").getValue()).isEqualTo("00112233445566778899aabbccddeeff");
    assertThat(meta.getArray("indexes").get(1).asDocument().getBoolean("unique")).isEqualTo(BsonBoolean.TRUE);
    // Canonical Extended JSON, which mongorestore's canonical-only parser accepts.
    assertThat(orders.getString("metadata").getValue()).contains("{\"$numberInt\": \"2\"}");
  }

  @Test
  void viewIsRecordedAsAViewWithItsPipelineAndAnEmptyNamespace() {
    BsonDocument view = layout.prelude.get(2);
    assertThat(view.getString("type").getValue()).isEqualTo("view");
    BsonDocument meta = BsonDocument.parse(view.getString("metadata").getValue());
    assertThat(meta.getDocument("options").getString("viewOn").getValue()).isEqualTo("orders");
    assertThat(meta.getDocument("options").getArray("pipeline")).hasSize(1);
    assertThat(meta.getArray("indexes")).isEmpty();
    List<ArchiveLayout.Block> blocks = layout.blocks.stream().filter(b -> b.namespace().equals(VIEW)).toList();
    assertThat(blocks).hasSize(2);
    assertThat(blocks.get(0).eof()).isFalse();
    assertThat(blocks.get(0).documents()).isEmpty();
    assertThat(blocks.get(1).eof()).isTrue();
    assertThat(blocks.get(1).header().getInt64("CRC").getValue()).isZero();
  }

  @Test
  void everyBodyNamespaceIsListedAndEveryListedNamespaceReachesEofExactlyOnce() {
    Set<Namespace> listed = new HashSet<>(List.of(ORDERS, EMPTY, VIEW, TS));
    Map<Namespace, Integer> eofs = new LinkedHashMap<>();
    for (ArchiveLayout.Block b : layout.blocks) {
      assertThat(listed).contains(b.namespace());
      if (b.eof()) {
        eofs.merge(b.namespace(), 1, Integer::sum);
      }
    }
    assertThat(eofs).containsOnlyKeys(listed).allSatisfy((ns, n) -> assertThat(n).isEqualTo(1));
  }

  @Test
  void timeseriesDataGoesUnderItsBucketsNamespaceForServersBefore83() {
    assertThat(layout.prelude.get(3).getString("collection").getValue()).isEqualTo("metrics");
    assertThat(layout.blocks).anyMatch(b -> b.namespace().equals(TS) && !b.documents().isEmpty());
  }

  @Test
  void noNamespaceHeaderAfterThatNamespacesEof() {
    Set<Namespace> ended = new HashSet<>();
    for (ArchiveLayout.Block b : layout.blocks) {
      assertThat(ended).doesNotContain(b.namespace());
      if (b.eof()) {
        ended.add(b.namespace());
      }
    }
  }

  @Test
  void namespaceHeadersHaveExactlyTheFourKeysWithAnInt64Crc() {
    for (ArchiveLayout.Block b : layout.blocks) {
      assertThat(new ArrayList<>(b.header().keySet())).containsExactly("db", "collection", "EOF", "CRC");
      assertThat(b.header().get("CRC")).isInstanceOf(BsonInt64.class);
      assertThat(b.header().getString("collection").getValue()).isNotEmpty();
      if (!b.eof()) {
        assertThat(b.header().getInt64("CRC").getValue()).isZero();
      }
    }
  }

  @Test
  void eofBlocksCarryNoDocumentsAndTheCrcOfAllTheNamespacesDocuments() {
    Map<Namespace, Crc64> crcs = new LinkedHashMap<>();
    for (ArchiveLayout.Block b : layout.blocks) {
      Crc64 crc = crcs.computeIfAbsent(b.namespace(), k -> new Crc64());
      if (b.eof()) {
        assertThat(b.documents()).isEmpty();
        assertThat(b.header().getInt64("CRC").getValue()).as("CRC of %s", b.namespace()).isEqualTo(crc.value());
      } else {
        b.documents().forEach(d -> crc.update(d));
      }
    }
    assertThat(crcs.get(ORDERS).value()).isNotZero();
    assertThat(crcs.get(EMPTY).value()).isZero();
  }

  @Test
  void documentsAreTheExactBytesGivenInOrder() {
    List<byte[]> written = new ArrayList<>();
    layout.blocks.stream().filter(b -> b.namespace().equals(ORDERS)).forEach(b -> written.addAll(b.documents()));
    assertThat(written).hasSize(50);
    for (int i = 0; i < 50; i++) {
      byte[] expected = java.util.Arrays.copyOfRange(orders.get(i).getByteBuffer().array(), 0, orders.get(i).getByteBuffer().remaining());
      assertThat(written.get(i)).isEqualTo(expected);
      assertThat(written.get(i).length).isBetween(5, 16 * 1024 * 1024);
      assertThat(written.get(i)[written.get(i).length - 1]).isZero();
    }
  }

  @Test
  void emptyNamespaceHasAnEmptyDataSegmentBeforeItsEof() {
    List<ArchiveLayout.Block> blocks = layout.blocks.stream().filter(b -> b.namespace().equals(EMPTY)).toList();
    assertThat(blocks).extracting(ArchiveLayout.Block::eof).containsExactly(false, true);
    assertThat(blocks.get(0).documents()).isEmpty();
  }

  @Test
  void streamEndsExactlyAfterTheLastTerminator() {
    assertThat(layout.endsAfterTerminator).isTrue();
    assertThat(layout.blocks.get(layout.blocks.size() - 1).eof()).isTrue();
  }

  @Test
  void neverMoreNamespacesOpenThanConcurrentCollections() {
    int limit = layout.header.getInt32("concurrent_collections").getValue();
    Set<Namespace> open = new HashSet<>();
    int max = 0;
    for (ArchiveLayout.Block b : layout.blocks) {
      if (b.eof()) {
        open.remove(b.namespace());
      } else {
        open.add(b.namespace());
        max = Math.max(max, open.size());
      }
    }
    assertThat(max).isLessThanOrEqualTo(limit).isEqualTo(2);
  }

  @Test
  void readsBackWithTheReader() {
    ArchiveSummary s = MongoArchiveReader.read(new ByteArrayInputStream(archive), ArchiveVisitor.NONE);
    assertThat(s.namespaces().get(ORDERS).documents()).isEqualTo(50);
    assertThat(s.namespaces().get(TS).documents()).isEqualTo(1);
    assertThat(s.namespaces().get(EMPTY).documents()).isZero();
    assertThat(s.namespaces().get(VIEW).documents()).isZero();
    assertThat(s.prelude().entry("shop", "big_orders").orElseThrow().isView()).isTrue();
  }

  @Test
  void writerRefusesWhatMongorestoreWouldReject() {
    List<CollectionMetadata> entries = List.of(CollectionMetadata.of("a", "b", "collection", null, List.of(), ""),
        CollectionMetadata.of("a", "c", "collection", null, List.of(), ""));
    RawBsonDocument doc = RawBsonDocument.parse("{\"_id\": 1}");
    MongoArchiveWriter w = new MongoArchiveWriter(new ByteArrayOutputStream());
    assertThatThrownBy(() -> w.writeDocument(new Namespace("a", "b"), doc)).hasMessageContaining("prelude");
    w.writePrelude(new ArchiveHeader(1, "0.1", "7.0.0", "t"), entries);
    assertThatThrownBy(() -> w.writeDocument(new Namespace("a", "x"), doc)).hasMessageContaining("no entry in the prelude");
    w.writeDocument(new Namespace("a", "b"), doc);
    assertThatThrownBy(() -> w.writeDocument(new Namespace("a", "c"), doc)).hasMessageContaining("concurrent_collections");
    assertThatThrownBy(w::finish).hasMessageContaining("never reached EOF");
    w.endNamespace(new Namespace("a", "b"));
    assertThatThrownBy(() -> w.writeDocument(new Namespace("a", "b"), doc)).hasMessageContaining("already reached EOF");
    byte[] notADocument = {9, 0, 0, 0, 1};
    assertThatThrownBy(() -> w.writeDocuments(new Namespace("a", "c"), notADocument, 0, notADocument.length))
        .hasMessageContaining("Invalid BSON document");
    w.endNamespace(new Namespace("a", "c"));
    w.finish();
    assertThat(w.finished()).isTrue();
  }

  @Test
  void emptyArchiveIsMagicHeaderAndTerminator() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MongoArchiveWriter w = new MongoArchiveWriter(out);
    w.writePrelude(new ArchiveHeader(1, "0.1", "7.0.0", "t"), List.of());
    w.finish();
    ArchiveLayout l = new ArchiveLayout(out.toByteArray());
    assertThat(l.prelude).isEmpty();
    assertThat(l.blocks).isEmpty();
    assertThat(out.size()).isEqualTo(4 + l.headerBytes.length + 4);
    assertThat(MongoArchiveReader.read(new ByteArrayInputStream(out.toByteArray()), ArchiveVisitor.NONE).namespaces()).isEmpty();
  }

  @Test
  void metadataOfEntriesIsCanonicalAndKeepsIndexOptions() {
    CollectionMetadata m = CollectionMetadata.of("d", "c", "collection", new BsonDocument("capped", BsonBoolean.TRUE)
        .append("size", new BsonInt64(4096)), List.of(new BsonDocument("v", new BsonInt32(2))
        .append("key", new BsonDocument("t", new BsonInt32(1))).append("name", new BsonString("t_1"))
        .append("expireAfterSeconds", new BsonInt32(3600))), "");
    assertThat(m.metadataJson()).contains("\"$numberLong\": \"4096\"").contains("\"expireAfterSeconds\": {\"$numberInt\": \"3600\"}");
    assertThat(m.options().getInt64("size").getValue()).isEqualTo(4096);
    assertThat(m.indexNames()).containsExactly("t_1");
  }
}
