package dev.lifeboat.junit.samples;

import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import dev.lifeboat.junit.RestoredDatabase;
import org.junit.jupiter.api.Test;

/** Records the name of its copy; run with its sibling to show that the second class restores nothing. */
@LifeboatTest
public class TemplateReuseASample {
  @Test
  void recordsItsCopy(@Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}") RestoredDatabase db) {
    Seen.record("reuse.names", db.name());
  }
}
