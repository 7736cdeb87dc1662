package dev.lifeboat.benchmarks.mongo;

import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.types.ObjectId;

/** The benchmark's documents: an order-like shape of about 200 bytes with the common BSON types. */
final class BenchDocuments {
  private BenchDocuments() {}

  static BsonDocument document(int collection, int i) {
    byte[] oid = new byte[12];
    oid[0] = (byte) collection;
    oid[8] = (byte) (i >>> 24);
    oid[9] = (byte) (i >>> 16);
    oid[10] = (byte) (i >>> 8);
    oid[11] = (byte) i;
    return new BsonDocument("_id", new BsonObjectId(new ObjectId(oid)))
        .append("n", new BsonInt32(i))
        .append("customer", new BsonString("customer-" + (i % 9973)))
        .append("total", new BsonDouble(i * 1.25))
        .append("cents", new BsonInt64(i * 125L))
        .append("at", new BsonDateTime(1_700_000_000_000L + i * 1000L))
        .append("tags", new BsonArray(List.of(new BsonString("t" + (i % 7)), new BsonString("t" + (i % 11)))))
        .append("address", new BsonDocument("city", new BsonString("City " + (i % 101))).append("zip", new BsonString(String.format("%05d", i % 100_000))));
  }
}
