package dev.lifeboat.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay in front of a server that, once armed, drops the connection after passing a given
 * number of response bytes: a network that breaks in the middle of a download.
 */
final class CuttingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  /** Response bytes still let through before the cut; negative: no cut armed. */
  private final AtomicLong budget = new AtomicLong(-1);
  private final AtomicLong cuts = new AtomicLong();

  CuttingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "cutting-proxy");
    accept.setDaemon(true);
    accept.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** The next {@code bytes} response bytes pass, then the connection carrying them is dropped (once). */
  void cutAfter(long bytes) {
    budget.set(bytes);
  }

  long cuts() {
    return cuts.get();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        pump(client, server, false);
        pump(server, client, true);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, boolean response) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[8192];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          if (response && budget.get() >= 0) {
            long left = budget.addAndGet(-n);
            if (left < 0) {
              budget.set(-1);
              cuts.incrementAndGet();
              out.write(buffer, 0, (int) Math.max(0, n + left));
              out.flush();
              from.close();
              to.close();
              return;
            }
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // One side closed: close the other.
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException ignored) {
          // Already closed.
        }
      }
    }, "cutting-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
