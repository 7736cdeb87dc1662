package dev.lifeboat.mongo.jsonb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;


/**
 * The JSON a JSONB standby holds. {@code data} is relaxed Extended JSON v2 of the whole document,
 * with the exceptions that keep every value exact once PostgreSQL has parsed it into {@code jsonb}
 * (whose numbers are {@code numeric}, which has no negative zero and drops the type):
 *
 * <ul>
 *   <li>int32: a plain number ({@code 42});
 *   <li>int64: always {@code {"$numberLong":"42"}}, so it stays 64-bit and exact for every reader
 *       (JavaScript loses integers above 2^53);
 *   <li>double: a plain number in positional notation with at least one decimal
 *       ({@code 1.0}, {@code 1000000000000000000000.0}, {@code 0.000001}) so jsonb keeps it a
 *       fraction and it reads back as a double; NaN, ±Infinity and -0.0 as
 *       {@code {"$numberDouble":"…"}};
 *   <li>date: {@code {"$date":"2024-01-31T12:00:00.123Z"}} for years 1970–9999, otherwise
 *       {@code {"$date":{"$numberLong":"…"}}} (dates before 1970 included);
 *   <li>Decimal128, binary (all subtypes, UUIDs included), ObjectId, timestamp, regex, min/max key,
 *       code, code with scope, symbol, undefined, DBPointer: their Extended JSON v2 objects, as in
 *       canonical mode;
 *   <li>a string holding U+0000 (which {@code jsonb} cannot store): {@code {"$stringWithNul":
 *       ["a", "b"]}}, its parts between the NUL characters, in order; the string is the parts
 *       joined with U+0000. This is the only form that does not parse back as Extended JSON.
 * </ul>
 *
 * <p>{@code _id} is the canonical Extended JSON of the id, so ids of different types never clash
 * ({@code "1"} is a string, {@code {"$numberInt":"1"}} an int32).
 */
public final class StandbyJson {
  /** The key of the object that stands for a string holding U+0000 in {@code data}. */
  public static final String STRING_WITH_NUL = "$stringWithNul";

  private static final ThreadLocal<StandbyJsonEncoder> ENCODER = ThreadLocal.withInitial(StandbyJsonEncoder::new);

  private StandbyJson() {}

  /** The {@code data} column for a raw document. */
  public static String data(RawBsonDocument doc) {
    ByteBuffer b = doc.getByteBuffer().asNIO();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return data(bytes);
  }

  /** The {@code data} column for a document given as its BSON bytes. */
  public static String data(byte[] bson) {
    StandbyJsonEncoder e = ENCODER.get();
    e.reset();
    e.copyEscape(false);
    e.data(bson, 0);
    return new String(e.buffer(), 0, e.length(), StandardCharsets.UTF_8);
  }

  /** The {@code data} column for a document. */
  public static String data(BsonDocument doc) {
    return data(new RawBsonDocument(doc, new BsonDocumentCodec()));
  }

  /** The {@code _id} column: canonical Extended JSON of the id value. */
  public static String id(BsonValue id) {
    RawBsonDocument wrapper = new RawBsonDocument(new BsonDocument("_id", id), new BsonDocumentCodec());
    ByteBuffer b = wrapper.getByteBuffer().asNIO();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    StandbyJsonEncoder e = ENCODER.get();
    e.reset();
    e.copyEscape(false);
    e.id(bytes, 0);
    return new String(e.buffer(), 0, e.length(), StandardCharsets.UTF_8);
  }
}
