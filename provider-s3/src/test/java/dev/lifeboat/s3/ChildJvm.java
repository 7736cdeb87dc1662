package dev.lifeboat.s3;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a class of this module's test class path in a JVM of its own, with the S3 test server's credentials. */
final class ChildJvm {
  private ChildJvm() {}

  static Process start(Path work, List<String> jvmOptions, Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-Daws.accessKeyId=" + S3ProxyServer.ACCESS_KEY);
    command.add("-Daws.secretAccessKey=" + S3ProxyServer.SECRET_KEY);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectError(work.resolve("child-err.txt").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
    return pb.start();
  }

  /** The child's standard output, line by line. */
  static BufferedReader lines(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }
}
