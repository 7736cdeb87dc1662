package dev.lifeboat.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The branching contract against {@link MemDbProvider}'s in-memory copies: proves the contract passes for a platform that follows the SPI. */
class MemDbBranchingContractTest extends BranchingContract {
  static {
    Map<String, List<String>> parent = new ConcurrentHashMap<>();
    parent.put("customers", new ArrayList<>(List.of("ada", "grace", "linus")));
    MemDbProvider.DATABASES.put("branchable", parent);
  }

  @Override
  protected String platformLocation() {
    return "memdb://app:s3cr%40t-pw@local/branchable";
  }

  @Override
  protected String protectedBranch() {
    return "branchable";
  }

  @Override
  protected void assertConnectable(Location connection) {
    Map<String, List<String>> db = MemDbProvider.DATABASES.get(MemDbProvider.database(connection));
    assertThat(db).as("the branch's database").isNotNull();
    assertThat(db.get("customers")).containsExactly("ada", "grace", "linus");
  }
}
