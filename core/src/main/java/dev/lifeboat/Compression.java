package dev.lifeboat;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
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
  /** zstd (level 3 by default), readable by {@code zstd -d}. */
  ZSTD(".zst");

  private final String extension;

  Compression(String extension) {
    this.extension = extension;
  }

  /** The file name suffix for stored archives, empty for {@link #NONE}. */
  public String extension() {
    return extension;
  }

  /** Wraps {@code out} so that what is written to the result is stored compressed. */
  public OutputStream compress(OutputStream out) throws IOException {
    switch (this) {
      case GZIP:
        return new GZIPOutputStream(out, 1 << 16);
      case ZSTD:
        ZstdOutputStream zstd = new ZstdOutputStream(out, 3);
        zstd.setChecksum(true);
        return zstd;
      default:
        return out;
    }
  }

  /** Wraps {@code in} so that reading the result yields the uncompressed bytes. */
  public InputStream decompress(InputStream in) throws IOException {
    switch (this) {
      case GZIP:
        return new GZIPInputStream(in, 1 << 16);
      case ZSTD:
        return new ZstdInputStream(in);
      default:
        return in;
    }
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
