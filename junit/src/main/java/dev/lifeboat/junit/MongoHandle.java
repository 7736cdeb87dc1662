package dev.lifeboat.junit;

import java.util.Locale;

/**
 * A copy on a MongoDB server, seen without the driver's types: the extension refers to this
 * interface only, so it loads on a class path without the MongoDB driver, which is an optional
 * dependency of this module.
 */
interface MongoHandle {
  /** The manifest format of a MongoDB snapshot. */
  String FORMAT = "mongo-archive";

  /** The copy as a {@code com.mongodb.client.MongoDatabase}. */
  Object database();

  /** A connection string of the copy (credentials included, so do not print it). */
  String connectionString();

  /** Whether a server text names a MongoDB deployment. */
  static boolean isMongo(String server) {
    String s = server.toLowerCase(Locale.ROOT);
    return s.startsWith("mongodb://") || s.startsWith("mongodb+srv://");
  }

  /** Whether the MongoDB driver is on the class path. */
  static boolean driverAvailable() {
    try {
      Class.forName("com.mongodb.client.MongoClient", false, MongoHandle.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
