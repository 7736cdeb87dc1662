package dev.lifeboat.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** GitHub's secondary limits for content-creating calls: 80 a minute, 500 an hour. */
class CreationPacerTest {
  private long now;
  private final List<Long> waits = new ArrayList<>();
  private final CreationPacer pacer = new CreationPacer(CreationPacer.PER_MINUTE, CreationPacer.PER_HOUR, () -> now, nanos -> {
    waits.add(nanos);
    now += nanos;
  });

  @Test
  void theEightyFirstCallInAMinuteWaitsForTheFirstToLeaveTheWindow() throws InterruptedException {
    for (int i = 0; i < 80; i++) {
      pacer.beforeCreatingCall();
      now += TimeUnit.MILLISECONDS.toNanos(100);
    }
    assertThat(waits).isEmpty();
    pacer.beforeCreatingCall();
    // 80 calls took 8 s; the first leaves the minute window 52 s later.
    assertThat(waits).containsExactly(TimeUnit.SECONDS.toNanos(52));
  }

  @Test
  void theFiveHundredAndFirstCallInAnHourWaitsForTheHourWindow() throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      pacer.beforeCreatingCall();
      now += TimeUnit.SECONDS.toNanos(1);
    }
    waits.clear();
    long before = now;
    pacer.beforeCreatingCall();
    assertThat(now - before).isEqualTo(TimeUnit.HOURS.toNanos(1) - TimeUnit.SECONDS.toNanos(500));
  }
}
