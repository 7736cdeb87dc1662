package dev.lifeboat.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoClientSettings;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** MongoDB URIs: credentials, redaction, recognising the same deployment. */
class MongoUriTest {

  @Test
  void mongoCredentialsComeFromTheUriOrTheSecretsAndAreNeverShown() {
    Map<String, String> secrets = Map.of("MONGODB_USERNAME", "app", "MONGODB_PASSWORD", "pw-from-secret");
    MongoUri plain = MongoUri.parse(Location.parse("mongodb://db1.example.net,db2.example.net:27018/shop?authSource=users"));
    MongoClientSettings s = plain.settings(n -> Optional.ofNullable(secrets.get(n)), 1000);
    assertThat(s.getCredential().getUserName()).isEqualTo("app");
    assertThat(s.getCredential().getSource()).isEqualTo("users");
    assertThat(new String(s.getCredential().getPassword())).isEqualTo("pw-from-secret");

    MongoUri userOnly = MongoUri.parse(Location.parse("mongodb://ops@db1.example.net/shop"));
    MongoClientSettings u = userOnly.settings(n -> Optional.ofNullable(secrets.get(n)), 1000);
    assertThat(u.getCredential().getUserName()).isEqualTo("ops");
    assertThat(new String(u.getCredential().getPassword())).isEqualTo("pw-from-secret");
    assertThat(u.getCredential().getSource()).as("authSource defaults to the URI's database").isEqualTo("shop");
    assertThatThrownBy(() -> userOnly.settings(n -> Optional.empty(), 1000)).isInstanceOf(LifeboatException.class)
        .hasMessageContaining("MONGODB_PASSWORD");

    MongoUri withPassword = MongoUri.parse(Location.parse("mongodb+srv://ops:p%40ss@cluster0.example.net/shop?retryWrites=true"));
    assertThat(withPassword.toString()).doesNotContain("p%40ss").doesNotContain("p@ss").contains("cluster0.example.net/shop");
    assertThat(withPassword.srv()).isTrue();
    assertThat(withPassword.normalizedHosts()).containsExactly("srv:cluster0.example.net");
    assertThat(plain.normalizedHosts()).containsExactly("db1.example.net:27017", "db2.example.net:27018");
  }

  @Test
  void sameDeploymentIsRecognisedWhateverTheHostOrderOrDefaultPort() {
    MongoUri a = MongoUri.parse(Location.parse("mongodb://B.example.net,a.example.net:27017/shop"));
    MongoUri b = MongoUri.parse(Location.parse("mongodb://user:pw@a.example.net,b.example.net:27017/shop?w=majority"));
    MongoUri other = MongoUri.parse(Location.parse("mongodb://a.example.net,b.example.net/shop_copy"));
    assertThat(a.sameDatabaseAs(b)).isTrue();
    assertThat(a.sameDatabaseAs(other)).isFalse();
  }

  @Test
  void sameDeploymentIsRecognisedThroughOneMemberLoopbackSpellingsAndSrvSeedLists() {
    MongoUri replicaSet = MongoUri.parse(Location.parse("mongodb://a.example.net,b.example.net,c.example.net/shop?replicaSet=rs0"));
    MongoUri oneMember = MongoUri.parse(Location.parse("mongodb://B.example.net.:27017/shop?directConnection=true"));
    assertThat(replicaSet.sameDatabaseAs(oneMember)).as("a seed list naming one member of the same replica set").isTrue();
    assertThat(oneMember.sameDatabaseAs(replicaSet)).isTrue();

    MongoUri localhost = MongoUri.parse(Location.parse("mongodb://localhost/shop"));
    MongoUri loopback = MongoUri.parse(Location.parse("mongodb://127.0.0.1:27017/shop"));
    MongoUri loopback6 = MongoUri.parse(Location.parse("mongodb://[::1]:27017/shop"));
    assertThat(localhost.sameDatabaseAs(loopback)).isTrue();
    assertThat(loopback6.sameDatabaseAs(localhost)).isTrue();
    assertThat(localhost.sameDatabaseAs(MongoUri.parse(Location.parse("mongodb://localhost:27018/shop")))).isFalse();

    MongoUri srv = MongoUri.parse(Location.parse("mongodb+srv://cluster0.abcde.mongodb.net/shop"));
    MongoUri seeds = MongoUri.parse(Location.parse(
        "mongodb://cluster0-shard-00-00.abcde.mongodb.net:27017,cluster0-shard-00-01.abcde.mongodb.net:27017/shop?ssl=true"));
    assertThat(srv.sameDatabaseAs(seeds)).as("SRV targets share the SRV name's parent domain").isTrue();
    assertThat(seeds.sameDatabaseAs(srv)).isTrue();
    assertThat(srv.sameDatabaseAs(localhost)).isFalse();
    assertThat(replicaSet.sameDatabaseAs(MongoUri.parse(Location.parse("mongodb://d.example.net/shop")))).isFalse();
  }

  @Test
  void mongoUriWithoutDatabaseOrOfAnotherSchemeIsAConfigurationError() {
    for (String uri : List.of("mongodb://h:1", "mongodb://h:1/", "mongodb://h:1/?replicaSet=rs")) {
      assertThatThrownBy(() -> MongoUri.parse(Location.parse(uri))).isInstanceOf(LifeboatException.class)
          .hasMessageContaining("names no database")
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION);
    }
    assertThatThrownBy(() -> MongoUri.parse(Location.parse("mongodb://u:topsecret@h:notaport/db")))
        .isInstanceOf(LifeboatException.class).satisfies(e -> assertThat(e.getMessage()).doesNotContain("topsecret"));
  }

  /** The driver would only log a warning and go on without them, connecting without TLS for tsl=true. */
  @Test
  void unknownOrUnreadableOptionsAreRefusedBeforeAnyConnection() {
    for (String uri : List.of("mongodb://u:topsecret@h/shop?tsl=true", "mongodb://h/shop?retryWrites=true&authSoruce=admin",
        "mongodb+srv://u:topsecret@cluster0.example.net/shop?w=majority;bogus")) {
      assertThatThrownBy(() -> MongoUri.parse(Location.parse(uri))).isInstanceOf(LifeboatException.class)
          .hasMessageContaining("unknown option")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("topsecret"))
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION);
    }
    assertThatThrownBy(() -> MongoUri.parse(Location.parse("mongodb://h/shop?tls=true&tlsCAFile=/etc/ca.pem")))
        .isInstanceOf(LifeboatException.class).hasMessageContaining("tlsCAFile").hasMessageContaining("javax.net.ssl.trustStore");
    assertThatThrownBy(() -> MongoUri.parse(Location.parse("mongodb://u:top?secret@h/shop?tls=true")))
        .as("a '?' in the password is not the start of the options").isInstanceOf(LifeboatException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret").doesNotContain("unknown option"));
    MongoUri fine = MongoUri.parse(Location.parse(
        "mongodb://h/shop?TLS=true&retryWrites=true&w=majority&appName=Cluster0&authSource=admin&readPreference=secondary"));
    assertThat(fine.database()).isEqualTo("shop");
  }

  /** "shop.orders" is a database and a collection to the driver; acting on all of shop would surprise. */
  @Test
  void aUriNamingACollectionIsRefusedWithTheTableOptionToUseInstead() {
    assertThatThrownBy(() -> MongoUri.parse(Location.parse("mongodb://h/shop.orders")))
        .isInstanceOf(LifeboatException.class).hasMessageContaining("--table orders")
        .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION);
  }
}
