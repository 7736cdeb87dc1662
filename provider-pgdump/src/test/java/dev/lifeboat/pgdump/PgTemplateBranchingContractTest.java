package dev.lifeboat.pgdump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.Location;
import dev.lifeboat.postgres.PgConnections;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.spi.SecretResolver;
import dev.lifeboat.tck.BranchingContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;

/** The TCK's branching contract against {@link PgTemplateBranching}: template copies on the shared server. */
class PgTemplateBranchingContractTest extends BranchingContract {
  private static final String PARENT = "tck_branch_parent";
  private static boolean seeded;

  @Override
  protected synchronized String platformLocation() {
    if (!seeded) {
      TckServer.pg().createDatabase(PARENT);
      TckServer.pg().exec(PARENT, "CREATE TABLE kunden (id int PRIMARY KEY); INSERT INTO kunden SELECT generate_series(1, 7)");
      seeded = true;
    }
    return TckServer.pg().uri(PARENT);
  }

  @Override
  protected String protectedBranch() {
    return PARENT;
  }

  @Override
  protected SecretResolver secrets() {
    return name -> Optional.empty();
  }

  @Override
  protected void assertConnectable(Location connection) throws Exception {
    PgLocation info = PgLocation.parse(connection);
    assertThat(info.database()).isNotEqualTo(PARENT);
    try (Connection c = PgConnections.open(info); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM kunden")) {
      rs.next();
      assertThat(rs.getLong(1)).as("rows copied from the parent").isEqualTo(7);
    }
  }
}
