package dev.lifeboat.mongo;

import java.io.StringWriter;
import java.math.BigDecimal;
import org.bson.BsonBinaryReader;
import org.bson.BsonDbPointer;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.json.JsonWriter;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.json.Converter;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.bson.json.StrictJsonWriter;

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
 *       canonical mode.
 * </ul>
 *
 * <p>{@code _id} is the canonical Extended JSON of the id, so ids of different types never clash
 * ({@code "1"} is a string, {@code {"$numberInt":"1"}} an int32).
 */
public final class StandbyJson {
  private static final Converter<Long> INT64 = (value, writer) -> {
    writer.writeStartObject();
    writer.writeString("$numberLong", Long.toString(value));
    writer.writeEndObject();
  };

  private static final Converter<Double> DOUBLE = StandbyJson::writeDouble;

  /** Settings for the {@code data} column. */
  public static final JsonWriterSettings DATA = JsonWriterSettings.builder()
      .outputMode(JsonMode.RELAXED)
      .int64Converter(INT64)
      .doubleConverter(DOUBLE)
      .build();

  private static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();
  private static final String ID_PREFIX = "{\"_id\": ";

  private StandbyJson() {}

  /** The {@code data} column for a raw document. */
  public static String data(RawBsonDocument doc) {
    StringWriter out = new StringWriter(doc.getByteBuffer().remaining() * 2);
    try (BsonBinaryReader reader = new BsonBinaryReader(doc.getByteBuffer().asNIO())) {
      new DataWriter(out).pipe(reader);
    }
    return out.toString();
  }

  /** The {@code data} column for a document. */
  public static String data(BsonDocument doc) {
    return data(new RawBsonDocument(doc, new BsonDocumentCodec()));
  }

  /**
   * The relaxed writer, except that a DBPointer keeps its Extended JSON v2 form
   * {@code {"$dbPointer": {"$ref": …, "$id": …}}} (the driver's relaxed mode would write it like a
   * DBRef and lose its type).
   */
  private static final class DataWriter extends JsonWriter {
    DataWriter(StringWriter out) {
      super(out, DATA);
    }

    @Override
    public void writeDBPointer(BsonDbPointer value) {
      writeStartDocument();
      writeName("$dbPointer");
      writeStartDocument();
      writeString("$ref", value.getNamespace());
      writeObjectId("$id", value.getId());
      writeEndDocument();
      writeEndDocument();
    }
  }

  /** The {@code _id} column: canonical Extended JSON of the id value. */
  public static String id(BsonValue id) {
    String wrapped = new BsonDocument("_id", id).toJson(CANONICAL);
    return wrapped.substring(ID_PREFIX.length(), wrapped.length() - 1);
  }

  private static void writeDouble(Double value, StrictJsonWriter writer) {
    double d = value;
    if (Double.isNaN(d) || Double.isInfinite(d) || (d == 0.0 && Double.doubleToRawLongBits(d) != 0L)) {
      writer.writeStartObject();
      writer.writeString("$numberDouble", Double.isNaN(d) ? "NaN" : d == 0.0 ? "-0.0" : d > 0 ? "Infinity" : "-Infinity");
      writer.writeEndObject();
      return;
    }
    BigDecimal exact = new BigDecimal(Double.toString(d));
    if (exact.scale() < 1) {
      exact = exact.setScale(1);
    }
    writer.writeNumber(exact.toPlainString());
  }
}
