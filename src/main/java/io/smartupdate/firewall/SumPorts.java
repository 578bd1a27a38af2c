package io.smartupdate.firewall;

import java.util.List;

/**
 * The table of seeds/sum-network-ports.txt ("SUM network ports used"), one row per target type
 * (its "iLO, VC, FC switch, SAS switch" row split into four with the same ports). Its "From target"
 * 63001/63002 are SUM's default HTTP/HTTPS ports, kept here as roles. Service names: 445 ADMIN$
 * share, 137 only with NetBIOS naming, 22 SSH (seeds/hp-sum-ports-user-guide.txt and
 * hp-smartstart-ports.txt); 135 DCOM-In for WMI (sum-network-ports.txt); 5989 is the standard
 * CIM-XML over HTTPS port. The older HP SUM SOAP-agent ports of those two seeds (60000-60007,
 * 61000-61007, 62286, 63000-63005) belong to a remote agent smartupdate does not deploy, so they are not listed.
 */
public final class SumPorts {
  public static final String SOURCE = "SUM network ports used";

  /** A port on the target that the system running SUM connects to; optional = in parentheses in the seed. */
  public record Remote(int port, boolean optional, String service) {}

  /** A local port the target connects back to. */
  public enum Back { HTTP, HTTPS }

  public record Row(String type, String sumRunsOn, List<Remote> inventoryTo, List<Back> inventoryFrom, List<Remote> deploymentTo,
      List<Back> deploymentFrom) {}

  private static final List<Remote> WINDOWS = List.of(new Remote(445, false, "SMB (ADMIN$ share)"),
      new Remote(135, false, "DCOM (WMI)"), new Remote(137, false, "NetBIOS name (only with NetBIOS naming)"),
      new Remote(138, false, "NetBIOS datagram"), new Remote(139, false, "NetBIOS session"));
  private static final List<Remote> SSH = List.of(new Remote(22, false, "SSH"));
  private static final List<Remote> VMWARE = List.of(new Remote(443, false, "HTTPS"), new Remote(5989, false, "CIM-XML over HTTPS"));
  private static final List<Remote> MANAGEMENT = List.of(new Remote(22, false, "SSH"), new Remote(80, true, "HTTP"),
      new Remote(443, false, "HTTPS"));
  private static final List<Remote> HTTPS = List.of(new Remote(443, false, "HTTPS"));
  private static final String ANY = "Windows or Linux";

  public static final List<Row> ROWS = List.of(
      new Row("Windows", "Windows", WINDOWS, List.of(), WINDOWS, List.of()),
      new Row("Linux", ANY, SSH, List.of(), SSH, List.of()),
      new Row("VMware", ANY, VMWARE, List.of(Back.HTTP), VMWARE, List.of(Back.HTTP)),
      new Row("OA", ANY, MANAGEMENT, List.of(), MANAGEMENT, List.of()),
      new Row("Superdome X", ANY, MANAGEMENT, List.of(), MANAGEMENT, List.of(Back.HTTP, Back.HTTPS)),
      new Row("iLO", ANY, MANAGEMENT, List.of(), MANAGEMENT, List.of(Back.HTTP)),
      new Row("VC", ANY, MANAGEMENT, List.of(), MANAGEMENT, List.of(Back.HTTP)),
      new Row("FC switch", ANY, MANAGEMENT, List.of(), MANAGEMENT, List.of(Back.HTTP)),
      new Row("SAS switch", ANY, MANAGEMENT, List.of(), MANAGEMENT, List.of(Back.HTTP)),
      new Row("Superdome Flex", ANY, HTTPS, List.of(), HTTPS, List.of(Back.HTTPS)));

  private SumPorts() {}
}
