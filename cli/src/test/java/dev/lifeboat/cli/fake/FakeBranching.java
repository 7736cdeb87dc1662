package dev.lifeboat.cli.fake;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Branch;
import dev.lifeboat.BranchRequest;
import dev.lifeboat.spi.Branching;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** In-memory branches per fake project; {@code main} is the default branch. Connection URIs hold a password. */
public final class FakeBranching implements Branching {
  private static final Map<String, Map<String, Branch>> PROJECTS = new ConcurrentHashMap<>();
  private final Map<String, Branch> branches;

  FakeBranching(String project) {
    this.branches = PROJECTS.computeIfAbsent(project, p -> {
      Map<String, Branch> m = new ConcurrentHashMap<>();
      m.put("main", new Branch("br-main", "main", null, Instant.parse("2026-01-01T00:00:00Z"), null, true, false, Map.of()));
      return m;
    });
  }

  /** The branches of a fake project, for assertions. */
  public static Map<String, Branch> branches(String project) {
    return PROJECTS.getOrDefault(project, Map.of());
  }

  @Override
  public Branch create(BranchRequest request) {
    if (branches.containsKey(request.name())) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Branch " + request.name() + " already exists.");
    }
    String parent = request.parent() == null ? "br-main" : get(request.parent())
        .orElseThrow(() -> new LifeboatException(ErrorCode.NOT_FOUND, "No parent branch " + request.parent())).id();
    Branch b = new Branch("br-" + request.name(), request.name(), parent, Instant.now(), request.expiresAt(),
        false, false, request.at() == null ? Map.of() : Map.of("at", request.at().toString()));
    branches.put(request.name(), b);
    return b;
  }

  @Override
  public List<Branch> list() {
    return new ArrayList<>(branches.values());
  }

  @Override
  public Optional<Branch> get(String nameOrId) {
    return branches.values().stream().filter(b -> b.name().equals(nameOrId) || b.id().equals(nameOrId)).findFirst();
  }

  @Override
  public void delete(String nameOrId) {
    Branch b = get(nameOrId).orElseThrow(() -> new LifeboatException(ErrorCode.NOT_FOUND, "No branch '" + nameOrId + "'."));
    if (b.isDefault()) {
      throw new LifeboatException(ErrorCode.PROTECTED_DESTINATION, "Branch " + b.name() + " is the default branch and is never deleted.");
    }
    branches.remove(b.name());
  }

  @Override
  public Branch restore(String nameOrId, Instant at, String preserveUnderName, String confirm) {
    throw new LifeboatException(ErrorCode.UNSUPPORTED, "fake branches cannot be restored in place");
  }

  @Override
  public Location connect(Branch branch) {
    return Location.parse("fake://branchuser:branch-secret-pw@fakehost/" + branch.name());
  }
}
