package dev.lifeboat.junit;

import dev.lifeboat.Location;

/**
 * One {@link Restored} annotation with its placeholders resolved.
 *
 * @param server the server attribute as written (resolved), empty when the default applies
 */
record RestoredSettings(String target, String snapshot, String server, Scope scope) {
  static RestoredSettings of(Restored r, Placeholders placeholders) {
    String target = placeholders.resolve("target", r.target()).trim();
    if (target.isEmpty()) {
      throw new IllegalArgumentException("@Restored(target) is empty; name the snapshot store, e.g. target = \"file:/backups/shop\"");
    }
    String snapshot = placeholders.resolve("snapshot", r.snapshot()).trim();
    if (snapshot.isEmpty()) {
      throw new IllegalArgumentException("@Restored(snapshot) is empty; name a snapshot id or leave the default, latest");
    }
    String server = placeholders.resolve("server", r.server()).trim();
    String privateKey = placeholders.resolve("privateKey", r.privateKey());
    if (!privateKey.isBlank()) {
      throw new IllegalArgumentException("@Restored(privateKey) is set, but this version of Lifeboat cannot restore encrypted"
          + " snapshots yet; leave privateKey empty");
    }
    return new RestoredSettings(target, snapshot, server, r.scope());
  }

  /** How messages name the annotation: locations without passwords. */
  String describe() {
    return "@Restored(target = " + Location.redact(target) + ", snapshot = " + snapshot
        + (server.isEmpty() ? "" : ", server = " + Location.redact(server)) + ")";
  }
}
