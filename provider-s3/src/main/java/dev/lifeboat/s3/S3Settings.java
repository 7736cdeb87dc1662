package dev.lifeboat.s3;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of the S3 provider. {@code s3.part-size} is the size of one upload part (and of
 * each of the two part buffers an upload holds in memory); since S3 allows 10,000 parts and a
 * streamed dump's size is unknown in advance, it also sets the largest archive: the default
 * 64 MiB allows about 625 GiB, 128 MiB about 1.2 TiB.
 */
public final class S3Settings {
  /** The setting key of the part size, e.g. {@code 64MiB}, {@code 16m}, or a number of bytes. */
  public static final String PART_SIZE = "s3.part-size";
  /** Every setting this provider reads. */
  public static final Set<String> KEYS = Set.of(PART_SIZE);
  /** 64 MiB: archives up to about 625 GiB in S3's 10,000 parts, 128 MiB of part buffers. */
  public static final int DEFAULT_PART_SIZE = 64 << 20;
  /** S3's smallest part (all but the last). */
  static final int MIN_PART_SIZE = 5 << 20;
  /** The largest part this store buffers: a Java array's limit, well under S3's 5 GiB. */
  static final int MAX_PART_SIZE = 1 << 30;
  /** What a backup needs of the heap besides the part buffers (the SDK, the dump's pipes, the manifest). */
  static final long HEAP_BESIDES_PARTS = 32L << 20;
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

  private S3Settings() {}

  /** The part size from the setting, or the default. */
  public static int partSize(Optional<String> setting) {
    return setting.map(S3Settings::parsePartSize).orElse(DEFAULT_PART_SIZE);
  }

  static int parsePartSize(String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Setting " + PART_SIZE + "=" + text
          + " is not a size. Use e.g. 64MiB or 128MiB (5MiB to 1GiB).");
    }
    long unit = switch (m.group(2) == null ? "b" : m.group(2)) {
      case "k", "kb", "kib" -> 1L << 10;
      case "m", "mb", "mib" -> 1L << 20;
      case "g", "gb", "gib" -> 1L << 30;
      default -> 1L;
    };
    long bytes;
    try {
      bytes = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
    } catch (ArithmeticException | NumberFormatException e) {
      bytes = Long.MAX_VALUE;
    }
    return checkPartSize(bytes);
  }

  /**
   * Refuses, before a backup starts, a part size whose two buffers do not fit in {@code maxHeap}
   * (with room for the rest of the program), rather than failing with an out-of-memory error
   * half-way through the dump.
   */
  static void checkFitsHeap(int partSize, long maxHeap) {
    long needed = 2L * partSize + HEAP_BESIDES_PARTS;
    if (maxHeap < needed) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "An S3 backup with " + PART_SIZE + "=" + mib(partSize)
          + " holds two parts in memory and needs a Java heap of at least " + mib(needed) + "; this one has " + mib(maxHeap)
          + ". Give Java more (e.g. JAVA_OPTS=-Xmx" + Math.max(256, (needed >> 20) * 3 / 2) + "m) or set a smaller --setting "
          + PART_SIZE + " (16MiB allows archives up to about 156 GiB).");
    }
  }

  private static String mib(long bytes) {
    return (bytes >> 20) + "MiB";
  }

  static int checkPartSize(long bytes) {
    if (bytes < MIN_PART_SIZE || bytes > MAX_PART_SIZE) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Setting " + PART_SIZE + " must be between 5MiB (S3's smallest part) and 1GiB; "
          + bytes + " bytes is not. The default, 64MiB, allows archives up to about 625 GiB.");
    }
    return (int) bytes;
  }
}
