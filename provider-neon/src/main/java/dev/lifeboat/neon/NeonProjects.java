package dev.lifeboat.neon;

import dev.lifeboat.neon.api.NeonProject;
import java.util.List;
import java.util.Map;

/** Neon projects: {@code /projects/P}. */
final class NeonProjects {
  private final NeonTransport transport;

  NeonProjects(NeonTransport transport) {
    this.transport = transport;
  }

  /** The project, with its history window and its owner's plan limits. */
  NeonProject get(String projectId) {
    return NeonJson.read(transport.get(List.of("projects", projectId), Map.of()).path("project"), NeonProject.class);
  }
}
