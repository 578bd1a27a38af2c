package io.smartupdate.http;

import io.undertow.util.AttachmentKey;

/**
 * What one part of the chain tells the observers around it about an exchange (the download
 * record, the metrics, the access log), without either side importing the other. Each is set
 * once per request, never per chunk written.
 */
public final class Attachments {
  /** The matched route's template ({@code /api/status}, {@code /firmware/*}); set by {@link Routes}. */
  public static final AttachmentKey<String> ROUTE = AttachmentKey.create(String.class);
  /** The id of the hand-off session the request came through; set by the hand-off gate. */
  public static final AttachmentKey<String> SESSION = AttachmentKey.create(String.class);
  /** The size of the file a firmware response serves, whatever part of it is sent; set by the firmware handler. */
  public static final AttachmentKey<Long> FILE_SIZE = AttachmentKey.create(Long.class);
  /** Why the server itself cut a response short (e.g. {@link #CUT_REWRITE}); unset when it did not. */
  public static final AttachmentKey<String> CUT = AttachmentKey.create(String.class);
  /** {@link #CUT}: the file was rewritten in place during the download. */
  public static final String CUT_REWRITE = "rewrite";

  private Attachments() {}
}
