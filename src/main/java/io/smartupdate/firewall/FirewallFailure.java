package io.smartupdate.firewall;

/** A firewall step failed; {@link HostFirewall} turns it into one line for the operator with the fix. */
final class FirewallFailure extends RuntimeException {
  /** The program lacked the privilege: the fix is to run as root. */
  final boolean privilege;
  /** The program that failed, or "" when none ran: picks the rule format the fix points at. */
  final String program;

  FirewallFailure(String message, boolean privilege) {
    this(message, privilege, "");
  }

  FirewallFailure(String message, boolean privilege, String program) {
    super(message);
    this.privilege = privilege;
    this.program = program;
  }

  static FirewallFailure of(CommandRunner.Result result) {
    String program = result.command().program();
    String name = program.substring(program.lastIndexOf('/') + 1);
    return new FirewallFailure(name + " failed: " + result.firstError(), result.deniedPrivilege(), name);
  }

  /** The {@code smartupdate ports --format} that prints rules for the tool that failed. */
  String format() {
    if (program.startsWith("firewall")) return "firewalld";
    if (program.contains("iptables")) return "iptables";
    return "nft";
  }
}
