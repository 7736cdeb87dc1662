package dev.lifeboat.mongo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonJavaScript;
import org.bson.BsonJavaScriptWithScope;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonSymbol;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * Documents holding every BSON type and their edge values, one type per document. mongo-java-server
 * rejects binary subtypes other than 0, 3 and 4 (and rewrites 0x80 to 0), code with scope and
 * symbols: {@link #everyType()} holds what it stores faithfully, {@link #beyondTestServer()} the
 * rest, which tests feed straight into archives.
 */
public final class BsonSamples {
  private BsonSamples() {}

  public static List<BsonDocument> everyType() {
    List<BsonDocument> docs = new ArrayList<>();
    int id = 0;
    docs.add(doc(++id, "objectId", new BsonObjectId(new ObjectId("5f43a1b2c3d4e5f6a7b8c9d0"))));
    docs.add(doc(++id, "decimal128", new BsonArray(List.of(
        new BsonDecimal128(Decimal128.parse("1234567890.123456789012345678901234")),
        new BsonDecimal128(Decimal128.parse("-0")), new BsonDecimal128(Decimal128.NaN),
        new BsonDecimal128(Decimal128.POSITIVE_INFINITY), new BsonDecimal128(new Decimal128(new BigDecimal("1E-6143")))))));
    docs.add(doc(++id, "binary", new BsonArray(List.of(
        new BsonBinary(new byte[] {0, 1, 2, (byte) 255}),
        new BsonBinary(BsonBinarySubType.UUID_LEGACY, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}),
        new BsonBinary(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), UuidRepresentation.STANDARD),
        new BsonBinary(new byte[0])))));
    docs.add(doc(++id, "dates", new BsonArray(List.of(
        new BsonDateTime(0), new BsonDateTime(-1), new BsonDateTime(-14182940000L), // 1969-07-20
        new BsonDateTime(-62135596800000L), // year 1
        new BsonDateTime(1700000000123L), new BsonDateTime(253402300800000L))))); // year 10000
    docs.add(doc(++id, "int32", new BsonArray(List.of(new BsonInt32(0), new BsonInt32(Integer.MAX_VALUE),
        new BsonInt32(Integer.MIN_VALUE), new BsonInt32(-1)))));
    docs.add(doc(++id, "int64", new BsonArray(List.of(new BsonInt64(0), new BsonInt64(Long.MAX_VALUE),
        new BsonInt64(Long.MIN_VALUE), new BsonInt64(9007199254740993L), new BsonInt64(42)))));
    docs.add(doc(++id, "double", new BsonArray(List.of(new BsonDouble(0.0), new BsonDouble(-0.0), new BsonDouble(1.0),
        new BsonDouble(0.1), new BsonDouble(Double.NaN), new BsonDouble(Double.POSITIVE_INFINITY),
        new BsonDouble(Double.NEGATIVE_INFINITY), new BsonDouble(Double.MAX_VALUE), new BsonDouble(Double.MIN_VALUE),
        new BsonDouble(1e21), new BsonDouble(-1.5e-300), new BsonDouble(12345678.0)))));
    docs.add(doc(++id, "nested", BsonDocument.parse(
        "{\"a\": [1, [2, [3, {\"b\": [] }]], {}], \"c\": {\"d\": {\"e\": {\"f\": [null, true]}}}}")));
    docs.add(new BsonDocument("_id", new BsonInt32(++id)).append("ключ", new BsonString("значение"))
        .append("键", new BsonString("值 🚀")).append("emoji 😀 key", new BsonInt32(1)));
    docs.add(doc(++id, "empty", new BsonDocument()));
    docs.add(doc(++id, "regex", new BsonRegularExpression("^a.*b$", "imsx")));
    docs.add(doc(++id, "timestamp", new BsonTimestamp(1700000000, 7)));
    docs.add(doc(++id, "keys", new BsonArray(List.of(new BsonMinKey(), new BsonMaxKey()))));
    docs.add(doc(++id, "null", BsonNull.VALUE));
    docs.add(doc(++id, "booleans", new BsonArray(List.of(BsonBoolean.TRUE, BsonBoolean.FALSE))));
    docs.add(doc(++id, "code", new BsonJavaScript("function () { return 1; }")));
    docs.add(doc(++id, "text", new BsonString("tab\tnew\nline\rcr back\\slash \"quoted\" \u0001 control é")));
    docs.add(new BsonDocument("_id", new BsonString("string id")).append("v", new BsonInt32(1)));
    docs.add(new BsonDocument("_id", new BsonObjectId(new ObjectId("65a000000000000000000001"))).append("v", new BsonInt32(2)));
    docs.add(new BsonDocument("_id", new BsonInt64(70)).append("v", new BsonInt32(3)));
    docs.add(new BsonDocument("_id", new BsonDocument("compound", new BsonInt32(1)).append("k", new BsonString("x"))).append("v", new BsonInt32(4)));
    docs.add(new BsonDocument("_id", new BsonInt32(100)));
    return docs;
  }

  /** Types and subtypes the test server cannot hold. */
  public static List<BsonDocument> beyondTestServer() {
    List<BsonDocument> docs = new ArrayList<>();
    docs.add(doc(1001, "binarySubtypes", new BsonArray(List.of(
        new BsonBinary(BsonBinarySubType.FUNCTION, new byte[] {7}),
        new BsonBinary(BsonBinarySubType.OLD_BINARY, new byte[] {4, 0, 0, 0, 1, 2, 3, 4}),
        new BsonBinary(BsonBinarySubType.MD5, new byte[16]),
        new BsonBinary(BsonBinarySubType.ENCRYPTED, new byte[] {1}),
        new BsonBinary(BsonBinarySubType.COLUMN, new byte[] {2}),
        new BsonBinary((byte) 8, new byte[] {3}),
        new BsonBinary((byte) 0x80, new byte[] {42})))));
    docs.add(doc(1002, "codeWithScope", new BsonJavaScriptWithScope("x + 1", new BsonDocument("x", new BsonInt32(1)))));
    docs.add(doc(1003, "symbol", new BsonSymbol("sym")));
    docs.add(doc(1004, "undefined", new org.bson.BsonUndefined()));
    docs.add(doc(1005, "dbPointer", new org.bson.BsonDbPointer("db.coll", new ObjectId("65a000000000000000000002"))));
    return docs;
  }

  private static BsonDocument doc(int id, String key, BsonValue value) {
    return new BsonDocument("_id", new BsonInt32(id)).append(key, value);
  }
}
