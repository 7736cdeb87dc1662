package dev.lifeboat.mongo.archive;

import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;

/** Small BSON helpers shared by the archive reader and writer. */
final class Bson {
  /** The largest document MongoDB stores (and mongorestore accepts): 16 MiB. */
  static final int MAX_DOCUMENT = 16 * 1024 * 1024;
  /** The smallest BSON document: length and the trailing zero. */
  static final int MIN_DOCUMENT = 5;

  private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();

  private Bson() {}

  /** The bytes of {@code doc}, field order kept. */
  static byte[] encode(BsonDocument doc) {
    BasicOutputBuffer buffer = new BasicOutputBuffer(256);
    try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
      CODEC.encode(writer, doc, EncoderContext.builder().build());
    }
    return buffer.toByteArray();
  }

  /** The little-endian int32 at {@code offset}. */
  static int int32(byte[] bytes, int offset) {
    return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8 | (bytes[offset + 2] & 0xFF) << 16
        | (bytes[offset + 3] & 0xFF) << 24;
  }

  /** A raw document over a copy of exactly its own bytes. */
  static RawBsonDocument raw(byte[] bytes) {
    return new RawBsonDocument(bytes);
  }
}
