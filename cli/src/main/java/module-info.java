/**
 * The {@code lifeboat} command line. It talks to databases and stores only through the
 * {@link dev.lifeboat.Lifeboat} facade, so it serves whatever providers are on the class path.
 */
module dev.lifeboat.cli {
  requires dev.lifeboat.core;
  requires info.picocli;
  requires org.slf4j;
  requires jul.to.slf4j;
  requires java.logging;
  requires java.sql;
  requires embedded.postgres;

  opens dev.lifeboat.cli to info.picocli;
}
