package dev.lifeboat;

/**
 * What kind of failure a {@link LifeboatException} reports. Each code maps to a CLI exit status:
 * {@code 2} for input that was wrong before any work started, {@code 3} for integrity and
 * verification failures, {@code 1} for everything that failed while working.
 */
public enum ErrorCode {
  /** A setting, option or argument is missing or malformed. */
  CONFIGURATION(2),
  /** No installed provider serves the URI scheme. */
  UNKNOWN_SCHEME(2),
  /** The named snapshot, branch or object does not exist. */
  NOT_FOUND(2),
  /** Credentials were refused. */
  AUTHENTICATION(1),
  /** The server could not be reached. */
  CONNECTION(1),
  /** The source failed while producing a dump. */
  SOURCE_FAILED(1),
  /** The snapshot target failed to store, read or delete. */
  TARGET_FAILED(1),
  /** Loading a snapshot into the destination failed. */
  RESTORE_FAILED(1),
  /** Stored bytes do not match the manifest's size or SHA-256, or the archive is unreadable. */
  CHECKSUM_MISMATCH(3),
  /**
   * An encrypted archive does not decrypt: a private key other than the one it was encrypted to,
   * or a ciphertext that fails authentication (changed, truncated).
   */
  DECRYPTION_FAILED(3),
  /** A verifier found the restored database different from what was expected. */
  VERIFICATION_FAILED(3),
  /** A point in time lies outside the platform's history window. */
  OUT_OF_RETENTION_WINDOW(2),
  /** A platform limit (branches, storage) was reached. */
  QUOTA_EXCEEDED(1),
  /** The destination is protected (the source itself, a default branch) and was not confirmed. */
  PROTECTED_DESTINATION(2),
  /** The destination already holds data and replacing it was not asked for. */
  DESTINATION_NOT_EMPTY(2),
  /** A remote platform API answered with an error. */
  REMOTE_API(1),
  /** An operation did not finish in time. */
  TIMEOUT(1),
  /** The operation is not supported by this provider or for this combination. */
  UNSUPPORTED(2),
  /** The operation was stopped before it finished ({@link Lifeboat#abortBackups}, a signal); nothing was kept. */
  ABORTED(1);

  private final int exitStatus;

  ErrorCode(int exitStatus) {
    this.exitStatus = exitStatus;
  }

  /** The process exit status the CLI uses for this code. */
  public int exitStatus() {
    return exitStatus;
  }
}
