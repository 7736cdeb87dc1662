package dev.lifeboat.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.hybrid.HpkeParameters;
import com.google.crypto.tink.subtle.AesGcmJce;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Key pair files: {@link #generate} writes {@value #PUBLIC_FILE} and {@value #PRIVATE_FILE}, the
 * private one readable only by its owner and, with a passphrase, encrypted with AES-256-GCM under a
 * key derived by PBKDF2-HMAC-SHA256. Both are small JSON documents holding a Tink key set and the
 * key's fingerprint. Every failure to read one is a {@link LifeboatException} with
 * {@link ErrorCode#CONFIGURATION} and one line saying what to do; no message shows key material.
 */
public final class KeyPairFiles {
  /** The public key file's name. */
  public static final String PUBLIC_FILE = "lifeboat-public-key.json";
  /** The private key file's name. */
  public static final String PRIVATE_FILE = "lifeboat-private-key.json";
  static final String PUBLIC_TYPE = "lifeboat-public-key";
  static final String PRIVATE_TYPE = "lifeboat-private-key";
  static final String KDF = "PBKDF2WithHmacSHA256";
  /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; recorded in the file so that it can grow. */
  static final int ITERATIONS = 600_000;
  private static final int SALT_BYTES = 16;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What {@link #generate} wrote. */
  public record Written(Path publicFile, Path privateFile, String fingerprint, boolean passphraseProtected) {}

  private KeyPairFiles() {}

  /**
   * Writes a new key pair into {@code dir} (created when missing). Refuses to replace existing key
   * files. {@code passphrase} null or empty leaves the private key file unencrypted (still 0600).
   */
  public static Written generate(Path dir, char[] passphrase) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      // Said here: creating the folder would fail as if a key file were in the way.
      throw new LifeboatException(ErrorCode.CONFIGURATION, dir + " is a file, not a folder. Give --out a folder to write"
          + " the key files into (created when missing).");
    }
    Path publicFile = dir.resolve(PUBLIC_FILE);
    Path privateFile = dir.resolve(PRIVATE_FILE);
    for (Path p : new Path[] {publicFile, privateFile}) {
      if (Files.exists(p)) {
        throw new LifeboatException(ErrorCode.CONFIGURATION, p + " already exists; Lifeboat never replaces a key file"
            + " (snapshots encrypted to it would become unreadable). Choose another --out folder.");
      }
    }
    boolean protect = passphrase != null && passphrase.length > 0;
    try {
      Encryption.register();
      KeysetHandle privateKeyset = KeysetHandle.generateNew(HpkeParameters.builder()
          .setVariant(HpkeParameters.Variant.NO_PREFIX)
          .setKemId(HpkeParameters.KemId.DHKEM_X25519_HKDF_SHA256)
          .setKdfId(HpkeParameters.KdfId.HKDF_SHA256)
          .setAeadId(HpkeParameters.AeadId.AES_256_GCM)
          .build());
      PrivateKey key = new PrivateKey(privateKeyset);
      ObjectNode privateDoc = document(PRIVATE_TYPE, key.fingerprint());
      if (protect) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        privateDoc.put("protection", "passphrase").put("kdf", KDF).put("iterations", ITERATIONS)
            .put("salt", Base64.getEncoder().encodeToString(salt));
        privateDoc.put("keyset", TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(privateKeyset,
            passphraseAead(passphrase, salt, ITERATIONS), associatedData(key.fingerprint())));
      } else {
        privateDoc.put("protection", "none");
        privateDoc.put("keyset", TinkJsonProtoKeysetFormat.serializeKeyset(privateKeyset, InsecureSecretKeyAccess.get()));
      }
      ObjectNode publicDoc = document(PUBLIC_TYPE, key.fingerprint());
      publicDoc.put("keyset", TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(privateKeyset.getPublicKeysetHandle()));
      Files.createDirectories(dir);
      writeNew(privateFile, privateDoc, true);
      try {
        writeNew(publicFile, publicDoc, false);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(privateFile);
        throw e;
      }
      return new Written(publicFile, privateFile, key.fingerprint(), protect);
    } catch (FileAlreadyExistsException e) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, e.getFile() + " already exists; Lifeboat never replaces a key file."
          + " Choose another --out folder.", e);
    } catch (IOException e) {
      // An AccessDeniedException's message is only the path, which the line names already.
      String reason = e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Cannot write the key files into " + dir + ": " + reason
          + ". Choose a writable --out folder.", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot generate an X25519 key pair: " + e.getMessage(), e);
    }
  }

  /** Reads a public key file (as {@link #generate} wrote it). */
  public static PublicKey readPublic(Path file) {
    JsonNode doc = readDocument(file, PUBLIC_TYPE, "public");
    try {
      // Without the registered HPKE key parsers, Tink would parse the key set into opaque legacy keys.
      Encryption.register();
      PublicKey key = new PublicKey(TinkJsonProtoKeysetFormat.parseKeysetWithoutSecret(text(doc, "keyset", file)));
      checkFingerprint(doc, key.fingerprint(), file);
      return key;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw unreadable(file, "public", e);
    }
  }

  /**
   * Reads a private key file; {@code passphrase} opens one written with a passphrase and is
   * ignored for one written without.
   */
  public static PrivateKey readPrivate(Path file, char[] passphrase) {
    JsonNode doc = readDocument(file, PRIVATE_TYPE, "private");
    String keyset = text(doc, "keyset", file);
    String recorded = text(doc, "fingerprint", file);
    try {
      Encryption.register();
      KeysetHandle handle;
      if ("passphrase".equals(doc.path("protection").asText())) {
        if (passphrase == null || passphrase.length == 0) {
          throw new LifeboatException(ErrorCode.CONFIGURATION, "The private key file " + file
              + " is protected by a passphrase: set LIFEBOAT_KEY_PASSPHRASE.");
        }
        if (!KDF.equals(doc.path("kdf").asText())) {
          throw new LifeboatException(ErrorCode.CONFIGURATION, "The private key file " + file + " uses the key derivation "
              + doc.path("kdf").asText() + ", which this version of Lifeboat does not know.");
        }
        byte[] salt = Base64.getDecoder().decode(text(doc, "salt", file));
        int iterations = doc.path("iterations").asInt(0);
        if (iterations < 10_000) {
          throw unreadable(file, "private", new IllegalArgumentException("too few PBKDF2 iterations recorded: " + iterations));
        }
        try {
          handle = TinkJsonProtoKeysetFormat.parseEncryptedKeyset(keyset, passphraseAead(passphrase, salt, iterations),
              associatedData(recorded));
        } catch (GeneralSecurityException e) {
          throw new LifeboatException(ErrorCode.CONFIGURATION, "The passphrase in LIFEBOAT_KEY_PASSPHRASE does not open the private key file "
              + file + " (or the file was changed); set the passphrase it was written with.", e);
        }
      } else {
        handle = TinkJsonProtoKeysetFormat.parseKeyset(keyset, InsecureSecretKeyAccess.get());
      }
      PrivateKey key = new PrivateKey(handle);
      checkFingerprint(doc, key.fingerprint(), file);
      return key;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw unreadable(file, "private", e);
    }
  }

  private static ObjectNode document(String type, String fingerprint) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("type", type).put("version", 1).put("fingerprint", fingerprint).put("algorithm", "HPKE X25519 HKDF-SHA256 AES-256-GCM");
    return doc;
  }

  private static void writeNew(Path file, ObjectNode doc, boolean ownerOnly) throws IOException {
    byte[] bytes = (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n").getBytes(StandardCharsets.UTF_8);
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (ownerOnly && posix) {
      // Created with mode 0600, never readable by others even for a moment.
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(bytes);
    }
  }

  private static JsonNode readDocument(Path file, String type, String which) {
    String written = PUBLIC_TYPE.equals(type) ? PUBLIC_FILE : PRIVATE_FILE;
    if (Files.isDirectory(file)) {
      // The folder 'lifeboat keys generate' wrote into, given instead of the file in it.
      throw new LifeboatException(ErrorCode.CONFIGURATION, "The " + which + " key file " + file + " is a folder; give the file in it"
          + " (" + file.resolve(written) + ").");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "The " + which + " key file " + file + " does not exist;"
          + " give the file 'lifeboat keys generate' wrote (" + written + ").", e);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Cannot read the " + which + " key file " + file + ": " + e.getMessage(), e);
    }
    JsonNode doc;
    try {
      doc = JSON.readTree(bytes);
    } catch (IOException e) {
      doc = null;
    }
    if (doc == null || !doc.isObject()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, file + " is not a Lifeboat " + which + " key file (not JSON);"
          + " give the file 'lifeboat keys generate' wrote.");
    }
    String actual = doc.path("type").asText();
    if (!type.equals(actual)) {
      String hint = (PUBLIC_TYPE.equals(actual) || PRIVATE_TYPE.equals(actual)) ? " it is a " + actual.substring("lifeboat-".length()).replace('-', ' ')
          + " file; give the " + which + " one." : " give the file 'lifeboat keys generate' wrote.";
      throw new LifeboatException(ErrorCode.CONFIGURATION, file + " is not a Lifeboat " + which + " key file:" + hint);
    }
    return doc;
  }

  private static String text(JsonNode doc, String field, Path file) {
    JsonNode node = doc.get(field);
    if (node == null || !node.isTextual() || node.asText().isEmpty()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "The key file " + file + " has no '" + field + "'; it is damaged."
          + " Use an intact copy of it.");
    }
    return node.asText();
  }

  private static void checkFingerprint(JsonNode doc, String actual, Path file) {
    if (!actual.equals(doc.path("fingerprint").asText())) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "The key file " + file + " records fingerprint "
          + doc.path("fingerprint").asText() + " but holds key " + actual + "; it was changed. Use an intact copy of it.");
    }
  }

  private static LifeboatException unreadable(Path file, String which, Exception e) {
    // A parser's message may quote the file; for a private key file it must not reach any output.
    String reason = "public".equals(which) ? " (" + e.getMessage() + ")" : "";
    return new LifeboatException(ErrorCode.CONFIGURATION, "The " + which + " key file " + file + " is damaged" + reason
        + "; use an intact copy of it.", "public".equals(which) ? e : null);
  }

  /** AES-256-GCM with a key derived from the passphrase by PBKDF2-HMAC-SHA256. */
  private static Aead passphraseAead(char[] passphrase, byte[] salt, int iterations) throws GeneralSecurityException {
    PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
    try {
      byte[] derived = SecretKeyFactory.getInstance(KDF).generateSecret(spec).getEncoded();
      try {
        return new AesGcmJce(derived);
      } finally {
        Arrays.fill(derived, (byte) 0);
      }
    } catch (InvalidKeySpecException e) {
      throw new GeneralSecurityException("cannot derive a key from the passphrase: " + e.getMessage(), e);
    } finally {
      spec.clearPassword();
    }
  }

  private static byte[] associatedData(String fingerprint) {
    return (PRIVATE_TYPE + ":" + fingerprint).getBytes(StandardCharsets.UTF_8);
  }
}
