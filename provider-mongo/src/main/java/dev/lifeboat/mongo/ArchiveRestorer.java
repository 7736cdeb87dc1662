package dev.lifeboat.mongo;

import dev.lifeboat.spi.Archive;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.Restorer;
import java.util.Set;

/**
 * What every restorer of {@code mongo-archive} snapshots shares, whatever it loads into: the
 * format it reads, the archive check before a restore (framing, CRC-64, counts against the
 * manifest) and the full read of {@code verify} without a destination (the same, every document
 * decoded too).
 */
abstract class ArchiveRestorer implements Restorer {
  final ProviderContext context;

  ArchiveRestorer(ProviderContext context) {
    this.context = context;
  }

  @Override
  public final Set<String> formats() {
    return Set.of(MongoArchiveDump.FORMAT);
  }

  @Override
  public final String checkArchive(Archive archive) {
    return ArchiveCheck.check(archive);
  }

  /** Every block and CRC, and every document decoded: see {@link ArchiveCheck#readWhole}. */
  @Override
  public final String readArchive(Archive archive) {
    return ArchiveCheck.readWhole(archive);
  }
}
