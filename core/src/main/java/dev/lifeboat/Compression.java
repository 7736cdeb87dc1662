package dev.lifeboat;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** The compression Lifeboat applies around a dump's bytes before they are stored. */
public enum Compression {
  /** Bytes are stored as the dump produced them. */
  NONE(""),
  /** gzip, readable by {@code gunzip} and by {@code mongorestore --gzip}. */
  GZIP(".gz"),
  /**
   * zstd, readable by {@code zstd -d}; level {@value #DEFAULT_ZSTD_LEVEL} unless the setting
   * {@value #ZSTD_LEVEL_SETTING} says otherwise.
   */
  ZSTD(".zst");

  /**
   * The default zstd level. Level 1 costs about half the CPU time of zstd's own default (3) while
   * a dump's rows compress about as well (docs/BENCHMARKS.md): on two cores it runs beside pg_dump
   * and the server instead of slowing them.
   */
  public static final int DEFAULT_ZSTD_LEVEL = 1;

  /** The setting that chooses the zstd level, 1 to 19. */
  public static final String ZSTD_LEVEL_SETTING = "lifeboat.zstdLevel";

  private final String extension;

  Compression(String extension) {
    this.extension = extension;
  }

  /** The file name suffix for stored archives, empty for {@link #NONE}. */
  public String extension() {
    return extension;
  }

  /** Wraps {@code out} so that what is written to the result is stored compressed, at the default level. */
  public OutputStream compress(OutputStream out) throws IOException {
    return compress(out, DEFAULT_ZSTD_LEVEL);
  }

  /**
   * Wraps {@code out} so that what is written to the result is stored compressed; {@code zstdLevel}
   * (1 to 19) applies to {@link #ZSTD} only.
   */
  public OutputStream compress(OutputStream out, int zstdLevel) throws IOException {
    switch (this) {
      case GZIP:
        return new GZIPOutputStream(out, 1 << 16);
      case ZSTD:
        // No finalizer: the caller closes it, and a finalizer could close {@code out} under a live writer.
        ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(out, zstdLevel);
        zstd.setChecksum(true);
        return zstd;
      default:
        return out;
    }
  }

  /**
   * Wraps {@code in} so that reading the result yields the uncompressed bytes. Close the result:
   * that frees its native buffers and closes {@code in}. (The zstd streams used here have no
   * finalizer, which would otherwise close {@code in} at an arbitrary time after the decompressor
   * became unreachable, while its caller may still be reading the rest of {@code in}.)
   */
  public InputStream decompress(InputStream in) throws IOException {
    switch (this) {
      case GZIP:
        return new GZIPInputStream(in, 1 << 16);
      case ZSTD:
        return new ZstdInputStreamNoFinalizer(in);
      default:
        return in;
    }
  }

  /** The zstd level named by the setting's value, or the default when it is absent. */
  public static int zstdLevel(java.util.Optional<String> setting) {
    if (setting.isEmpty() || setting.get().isBlank()) {
      return DEFAULT_ZSTD_LEVEL;
    }
    try {
      int level = Integer.parseInt(setting.get().trim());
      if (level >= 1 && level <= 19) {
        return level;
      }
    } catch (NumberFormatException e) {
      // Reported below with the valid range.
    }
    throw new LifeboatException(ErrorCode.CONFIGURATION, "Setting " + ZSTD_LEVEL_SETTING + "=" + setting.get()
        + " is not a zstd level; use a whole number from 1 (fastest) to 19 (smallest).");
  }

  /** Parses {@code none}, {@code gzip} or {@code zstd}, case-insensitively. */
  public static Compression parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new LifeboatException(
          ErrorCode.CONFIGURATION,
          "Unknown compression '" + text + "'. Use one of: none, gzip, zstd.");
    }
  }
}
