package dev.lifeboat.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlTest {
  @Test
  void identifiersAndLiteralsAreQuotedWhateverTheyHold() {
    assertThat(Sql.ident("a\"b")).isEqualTo("\"a\"\"b\"");
    assertThat(Sql.qualified("Reporting Ünits", "célula")).isEqualTo("\"Reporting Ünits\".\"célula\"");
    assertThat(Sql.qualified(null, "t")).isEqualTo("\"t\"");
    assertThat(Sql.literal("it's a \\ path")).isEqualTo("E'it''s a \\\\ path'");
  }

  @Test
  void qualifiedNamesSplitAtTheFirstUnquotedDot() {
    assertThat(Sql.splitQualified("shop.orders")).containsExactly("shop", "orders");
    assertThat(Sql.splitQualified("\"a.b\".\"c\"\"d\"")).containsExactly("a.b", "c\"d");
    assertThat(Sql.splitQualified("orders")).containsExactly(null, "orders");
  }
}
