package dev.lifeboat.cli;

import dev.lifeboat.Redactor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;

/**
 * Standard error under {@code --verbose}: every line passes {@link Redactor} before it is written.
 * Lifeboat redacts what it prints itself, but with {@code --verbose} libraries log too (the JDK's
 * HTTP client logs each request's full URL, and a webhook or heartbeat URL is a credential), and
 * their lines never pass through Lifeboat's own printing.
 */
final class RedactingOutputStream extends OutputStream {
  private final OutputStream out;
  private final Charset charset;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  RedactingOutputStream(OutputStream out, Charset charset) {
    this.out = out;
    this.charset = charset;
  }

  @Override
  public synchronized void write(int b) throws IOException {
    line.write(b);
    if (b == '\n') {
      emit();
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    int start = off;
    for (int i = off; i < off + len; i++) {
      if (b[i] == '\n') {
        line.write(b, start, i + 1 - start);
        emit();
        start = i + 1;
      }
    }
    line.write(b, start, off + len - start);
  }

  @Override
  public synchronized void flush() throws IOException {
    emit();
    out.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    flush();
    out.close();
  }

  // Whole lines, so a secret is seen whole; a line cut by an explicit flush is written as it stands.
  private void emit() throws IOException {
    if (line.size() == 0) {
      return;
    }
    out.write(Redactor.redact(line.toString(charset)).getBytes(charset));
    line.reset();
  }
}
