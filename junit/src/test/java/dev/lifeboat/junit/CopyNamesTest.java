package dev.lifeboat.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CopyNamesTest {
  private final Instant start = Instant.parse("2025-03-04T05:06:07Z");
  private final CopyNames names = new CopyNames(start);

  @Test
  void namesAreUniqueFitPostgresAndCarryTheRunsStart() {
    String a = names.copy();
    String b = names.copy();
    String t = names.template();
    assertThat(a).matches("lifeboat_t_20250304050607_[0-9a-f]{6}_1").isNotEqualTo(b);
    assertThat(t).startsWith("lifeboat_tpl_20250304050607_");
    assertThat(t.length()).isLessThan(64);
    assertThat(CopyNames.madeAt(a)).contains(start);
    assertThat(names.isOwn(a)).isTrue();
    assertThat(new CopyNames(start).isOwn(a)).isFalse();
  }

  @Test
  void onlyOurNamesOlderThanTheAgeAreLeftovers() {
    Instant now = start.plus(Duration.ofHours(7));
    assertThat(CopyNames.isLeftover(names.copy(), now, Duration.ofHours(6))).isTrue();
    assertThat(CopyNames.isLeftover(names.copy(), now, Duration.ofHours(8))).isFalse();
    assertThat(CopyNames.isLeftover("lifeboat_t_shop", now, Duration.ZERO)).isFalse();
    assertThat(CopyNames.isLeftover("lifeboat_drill_20200101T000000Z_abcdef12", now, Duration.ZERO)).isFalse();
  }
}
