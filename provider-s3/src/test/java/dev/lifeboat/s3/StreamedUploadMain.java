package dev.lifeboat.s3;

import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.SnapshotIds;
import dev.lifeboat.spi.PendingSnapshot;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Streams a generated archive of {@code MB} mebibytes into an S3 target as one snapshot, in its
 * own JVM (so a test can cap its heap, or kill it mid-upload):
 * {@code StreamedUploadMain LOCATION MB PART_SIZE PAUSE_AFTER_MB}. Credentials come from the
 * default chain (the test passes them as system properties). Prints {@code STARTED ID} when the
 * writer is recorded, {@code PAUSED} when it stops writing after {@code PAUSE_AFTER_MB} (0: never),
 * {@code COMMITTED ID SIZE SHA256} at the end.
 */
public final class StreamedUploadMain {
  private StreamedUploadMain() {}

  public static void main(String[] args) throws Exception {
    Location location = Location.parse(args[0]);
    long total = Long.parseLong(args[1]) << 20;
    int partSize = Integer.parseInt(args[2]);
    long pauseAfter = Long.parseLong(args[3]) << 20;
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    SplittableRandom random = new SplittableRandom(42);
    byte[] chunk = new byte[1 << 16];
    try (SnapshotTarget target = SnapshotTarget.over(S3BlobStore.open(location, partSize))) {
      String id = SnapshotIds.next(Instant.now());
      try (PendingSnapshot pending = target.create(id, "archive.bin")) {
        System.out.println("STARTED " + id);
        System.out.flush();
        OutputStream out = pending.output();
        for (long written = 0; written < total; written += chunk.length) {
          if (pauseAfter > 0 && written == pauseAfter) {
            System.out.println("PAUSED");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
          }
          for (int i = 0; i < chunk.length; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8; j++) {
              chunk[i + j] = (byte) (v >>> (8 * j));
            }
          }
          sha.update(chunk);
          out.write(chunk);
        }
        String digest = HexFormat.of().formatHex(sha.digest());
        Instant now = Instant.now();
        pending.commit(Manifest.builder().id(id).format("test").size(total).sha256(digest).createdAt(now).consistentAt(now).build());
        System.out.println("COMMITTED " + id + " " + total + " " + digest + " maxHeap=" + Runtime.getRuntime().maxMemory());
      }
    }
  }
}
