package dev.lifeboat.supabase;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;

/**
 * An error answer of the Supabase Management API: method, path, status and Supabase's
 * {@code message} (redacted, on one line), and what to check.
 */
public final class SupabaseApiException extends LifeboatException {
  private static final long serialVersionUID = 1L;
  private final int status;

  SupabaseApiException(ErrorCode code, String message, int status) {
    super(code, message);
    this.status = status;
  }

  /** The HTTP status; 0 when no answer came. */
  public int status() {
    return status;
  }
}
