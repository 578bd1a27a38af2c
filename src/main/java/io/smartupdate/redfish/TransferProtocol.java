package io.smartupdate.redfish;

import java.util.Locale;

/** How a BMC fetches its image from this server: the SimpleUpdate {@code TransferProtocol} values smartupdate serves. */
public enum TransferProtocol {
  HTTPS, HTTP, FTP;

  /** The URL scheme, lower case. */
  public String scheme() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The protocol named {@code value} in any case, or null for null; anything else is refused naming the choices. */
  public static TransferProtocol parse(String value) {
    if (value == null) return null;
    for (TransferProtocol protocol : values()) if (protocol.name().equalsIgnoreCase(value)) return protocol;
    throw new IllegalArgumentException("protocol: '" + value + "' is not one of http, https, ftp");
  }
}
