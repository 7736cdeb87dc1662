/**
 * Lifeboat core: the {@link dev.lifeboat.Lifeboat} facade, the value objects it returns, the
 * provider SPI in {@code dev.lifeboat.spi}, the snapshot commit protocol over blob stores, the
 * local folder store, and the retention rules in {@code dev.lifeboat.retention}.
 */
module dev.lifeboat.core {
  requires transitive com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires org.slf4j;
  requires java.net.http;
  requires com.github.luben.zstd_jni;
  requires com.google.crypto.tink;

  exports dev.lifeboat;
  exports dev.lifeboat.spi;
  exports dev.lifeboat.io;
  exports dev.lifeboat.file;
  exports dev.lifeboat.retention;
  exports dev.lifeboat.notify;
  exports dev.lifeboat.crypto;

  opens dev.lifeboat to com.fasterxml.jackson.databind;
  opens dev.lifeboat.retention to com.fasterxml.jackson.databind;
  // The writer record of an unfinished snapshot is read and written with Jackson.
  opens dev.lifeboat.internal to com.fasterxml.jackson.databind;

  uses dev.lifeboat.spi.LifeboatProvider;

  provides dev.lifeboat.spi.LifeboatProvider with dev.lifeboat.file.FileTargetProvider;
}
