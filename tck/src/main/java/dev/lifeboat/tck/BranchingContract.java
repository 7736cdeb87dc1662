package dev.lifeboat.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.Branch;
import dev.lifeboat.BranchHandle;
import dev.lifeboat.BranchRequest;
import dev.lifeboat.Branches;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.spi.SecretResolver;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of a {@link dev.lifeboat.spi.Branching} platform, driven through the facade's
 * {@link Branches} and {@link BranchHandle}s as the command line, drills and tests use it:
 *
 * <pre>{@code
 * class PgTemplateBranchingContractTest extends BranchingContract {
 *   protected String platformLocation() { return "postgresql://postgres@localhost:" + port + "/app"; }
 *   protected String protectedBranch() { return "app"; }
 *   protected void assertConnectable(Location branch) throws Exception { ... connect, SELECT from a seeded table ... }
 * }
 * }</pre>
 *
 * <p>What it checks: a created branch is listed and found by name and id, is neither default nor
 * protected, and can be connected to; closing its handle deletes it (also when it is gone
 * already); a kept branch outlives its handle until deleted; the platform's default or protected
 * branch is never deleted; unknown branches are {@link ErrorCode#NOT_FOUND}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
public abstract class BranchingContract {
  private static final AtomicInteger NAMES = new AtomicInteger();
  private Lifeboat lifeboat;

  /** The platform, as {@link Lifeboat#branches(String)} takes it: {@code neon://PROJECT}, {@code postgresql://…/app}. */
  protected abstract String platformLocation();

  /** The name of the platform's default or a protected branch, which must never be deleted. */
  protected abstract String protectedBranch();

  /**
   * Connects to a branch through {@code connection} (a URI with credentials: never print it raw)
   * and fails unless the branch is a usable copy of its parent, e.g. by reading a seeded table.
   */
  protected abstract void assertConnectable(Location connection) throws Exception;

  /** Settings of the {@link Lifeboat} instance the contract drives. None by default. */
  protected Map<String, String> settings() {
    return Map.of();
  }

  /** Where providers look secrets up. The process environment by default. */
  protected SecretResolver secrets() {
    return SecretResolver.ENVIRONMENT;
  }

  /** A branch name no other test uses; override it for platforms with stricter naming rules. */
  protected String newBranchName() {
    return "tck-" + NAMES.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The {@link Lifeboat} instance the contract drives, built once per class. */
  protected final synchronized Lifeboat lifeboat() {
    if (lifeboat == null) {
      lifeboat = Lifeboat.builder().settings(settings()).secrets(secrets()).build();
    }
    return lifeboat;
  }

  @AfterAll
  void closeLifeboat() {
    if (lifeboat != null) {
      lifeboat.close();
    }
  }

  private Branches branches() {
    return lifeboat().branches(platformLocation());
  }

  @Test
  void aCreatedBranchIsListedFoundAndCanBeConnectedTo() throws Exception {
    String name = newBranchName();
    try (Branches branches = branches(); BranchHandle handle = branches.create(BranchRequest.named(name))) {
      Branch branch = handle.branch();
      assertThat(branch.name()).as("the created branch's name").contains(name);
      assertThat(branch.isDefault()).as("a new branch is the default").isFalse();
      assertThat(branch.isProtected()).as("a new branch is protected").isFalse();
      assertThat(branches.list()).extracting(Branch::id).as("list()").contains(branch.id());
      assertThat(branches.get(branch.name())).as("get(name)").map(Branch::id).hasValue(branch.id());
      assertThat(branches.get(branch.id())).as("get(id)").map(Branch::name).hasValue(branch.name());
      Location connection = handle.connect();
      assertThat(connection.toString()).as("a connection URI prints without its password")
          .doesNotContain(connection.password().filter(p -> !p.isEmpty()).orElse("\u0000"));
      assertConnectable(connection);
    }
  }

  @Test
  void closingTheHandleDeletesTheBranch() {
    Branch branch;
    try (Branches branches = branches()) {
      try (BranchHandle handle = branches.create(BranchRequest.named(newBranchName()))) {
        branch = handle.branch();
        assertThat(branches.get(branch.id())).isPresent();
      }
      assertThat(branches.get(branch.id())).as("get() after the handle was closed").isEmpty();
      assertThat(branches.list()).extracting(Branch::id).as("list() after the handle was closed").doesNotContain(branch.id());
    }
  }

  @Test
  void aHandleWhoseBranchIsGoneAlreadyClosesQuietly() {
    try (Branches branches = branches()) {
      BranchHandle handle = branches.create(BranchRequest.named(newBranchName()));
      branches.delete(handle.branch().id());
      handle.close();
      assertThat(branches.get(handle.branch().id())).isEmpty();
    }
  }

  @Test
  void aKeptBranchOutlivesItsHandleUntilDeleted() {
    try (Branches branches = branches()) {
      Branch kept;
      try (BranchHandle handle = branches.create(BranchRequest.named(newBranchName()))) {
        kept = handle.keep();
      }
      assertThat(branches.get(kept.id())).as("kept after the handle was closed").isPresent();
      branches.delete(kept.name());
      assertThat(branches.get(kept.id())).isEmpty();
      assertNotFound(() -> branches.delete(kept.name()));
    }
  }

  @Test
  void theProtectedBranchIsNeverDeleted() {
    try (Branches branches = branches()) {
      Branch parent = branches.get(protectedBranch()).orElseThrow(() ->
          new AssertionError("protectedBranch() " + protectedBranch() + " is not listed by " + platformLocation()));
      assertThat(parent.isDefault() || parent.isProtected()).as("the branch is marked default or protected").isTrue();
      assertThatThrownBy(() -> branches.delete(protectedBranch()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION));
      assertThat(branches.get(protectedBranch())).as("still there").isPresent();
    }
  }

  @Test
  void unknownBranchesAreNotFound() {
    try (Branches branches = branches()) {
      String unknown = newBranchName();
      assertThat(branches.get(unknown)).isEmpty();
      assertNotFound(() -> branches.delete(unknown));
    }
  }

  private static void assertNotFound(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.NOT_FOUND));
  }
}
