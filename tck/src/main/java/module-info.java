/**
 * The Lifeboat TCK: abstract JUnit 5 contract tests that every provider's tests extend. See
 * {@link dev.lifeboat.tck} for how to use them.
 */
module dev.lifeboat.tck {
  requires transitive dev.lifeboat.core;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;

  exports dev.lifeboat.tck;

  opens dev.lifeboat.tck to org.junit.platform.commons;
}
