package dev.lifeboat.notify;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks symmetric signatures: {@code v1,} + base64 HMAC-SHA256 of
 * {@code id.timestamp.body}, keyed with the base64-decoded part of a {@code whsec_} secret.
 */
public final class WebhookSignature {
  private static final String PREFIX = "whsec_";
  private final byte[] key;

  private WebhookSignature(byte[] key) {
    this.key = key;
  }

  /**
   * A signer for a {@code whsec_<base64>} secret (the prefix is optional).
   *
   * @throws LifeboatException {@link ErrorCode#CONFIGURATION} when the part after the prefix is not base64
   */
  public static WebhookSignature of(String secret) {
    String encoded = secret.strip();
    if (encoded.startsWith(PREFIX)) {
      encoded = encoded.substring(PREFIX.length());
    }
    try {
      byte[] key = Base64.getDecoder().decode(encoded);
      if (key.length == 0) {
        throw new IllegalArgumentException("empty");
      }
      return new WebhookSignature(key);
    } catch (IllegalArgumentException e) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "The webhook secret is not a Standard Webhooks secret: expected whsec_ followed by base64 (24 to 64 random bytes).");
    }
  }

  /** The {@code webhook-signature} header value for one delivery attempt. */
  public String sign(String id, long timestampSeconds, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] signed = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(signed);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
