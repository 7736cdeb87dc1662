package dev.lifeboat.mongo.archive;

import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;

/**
 * An independent, literal walk over an archive's bytes (no use of {@link MongoArchiveReader}) so
 * that tests can check the rules of section 10 of the format spec structurally.
 */
final class ArchiveLayout {
  final int magic;
  final byte[] headerBytes;
  final BsonDocument header;
  final List<BsonDocument> prelude = new ArrayList<>();
  final List<Block> blocks = new ArrayList<>();
  final int length;
  final boolean endsAfterTerminator;

  /** One block: its header document and raw bytes, and its documents. */
  record Block(BsonDocument header, byte[] headerBytes, List<byte[]> documents) {
    Namespace namespace() {
      return new Namespace(header.getString("db").getValue(), header.getString("collection").getValue());
    }

    boolean eof() {
      return header.getBoolean("EOF").getValue();
    }
  }

  ArchiveLayout(byte[] a) {
    length = a.length;
    magic = Bson.int32(a, 0);
    int pos = 4;
    int len = Bson.int32(a, pos);
    headerBytes = java.util.Arrays.copyOfRange(a, pos, pos + len);
    header = new RawBsonDocument(headerBytes).toBsonDocument();
    pos += len;
    while (Bson.int32(a, pos) != -1) {
      len = Bson.int32(a, pos);
      prelude.add(new RawBsonDocument(java.util.Arrays.copyOfRange(a, pos, pos + len)).toBsonDocument());
      pos += len;
    }
    pos += 4;
    boolean lastWasTerminator = true;
    while (pos < a.length) {
      len = Bson.int32(a, pos);
      if (len == -1) {
        throw new AssertionError("terminator where a block header was expected at " + pos);
      }
      byte[] hb = java.util.Arrays.copyOfRange(a, pos, pos + len);
      pos += len;
      List<byte[]> docs = new ArrayList<>();
      while (Bson.int32(a, pos) != -1) {
        int dl = Bson.int32(a, pos);
        docs.add(java.util.Arrays.copyOfRange(a, pos, pos + dl));
        pos += dl;
      }
      pos += 4;
      blocks.add(new Block(new RawBsonDocument(hb).toBsonDocument(), hb, docs));
      lastWasTerminator = pos == a.length ? true : lastWasTerminator;
    }
    endsAfterTerminator = pos == a.length && Bson.int32(a, a.length - 4) == -1;
  }
}
