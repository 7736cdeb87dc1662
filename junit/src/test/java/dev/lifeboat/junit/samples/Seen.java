package dev.lifeboat.junit.samples;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the sample tests observed, for the tests that run them to assert on. */
public final class Seen {
  private static final Map<String, List<Object>> VALUES = new ConcurrentHashMap<>();

  private Seen() {}

  public static void record(String key, Object value) {
    VALUES.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(value);
  }

  public static List<Object> get(String key) {
    return VALUES.getOrDefault(key, List.of());
  }

  public static void clear() {
    VALUES.clear();
  }
}
