package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smartupdate.firewall.PortSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

class PortsCommandTest {
  /** A root configured as Main.commandLine configures smartupdate's, with ports registered as its Javadoc says. */
  @Command(name = "smartupdate")
  static final class Root {}

  private static CommandLine cli() {
    CommandLine cli = new CommandLine(new Root())
        .setOptionsCaseInsensitive(true)
        .setSubcommandsCaseInsensitive(true)
        .setAbbreviatedOptionsAllowed(false)
        .setUnmatchedOptionsAllowedAsOptionParameters(true)
        .setAllowOptionsAsOptionParameters(true);
    cli.addSubcommand("ports", PortsCommand.commandLine(new PortsCommand()));
    return cli;
  }

  private static PortsCommand parse(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "ports";
    System.arraycopy(args, 0, all, 1, args.length);
    ParseResult parsed = cli().parseArgs(all);
    return parsed.subcommand().commandSpec().commandLine().getCommand();
  }

  private static String run(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    assertEquals(0, parse(args).run(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void defaultsListHttpHttpsAndTheHandoffRange() {
    assertEquals(List.of(PortSpec.single(63001, "HTTP"), PortSpec.single(63002, "HTTPS"), new PortSpec(63010, 63099, "hand-off")),
        parse().localPorts());
  }

  @Test
  void ftpAddsItsControlPortAndPassiveRange() {
    assertEquals(List.of(PortSpec.single(63001, "HTTP"), PortSpec.single(63002, "HTTPS"), PortSpec.single(2121, "FTP"),
        new PortSpec(63100, 63199, "FTP passive"), new PortSpec(63010, 63099, "hand-off")), parse("/ftp_port", "2121").localPorts());
    assertEquals(new PortSpec(50000, 50009, "FTP passive"),
        parse("--ftp-port", "21", "--ftp-passive-ports", "50000-50009").localPorts().get(3));
  }

  @Test
  void sumAndGnuFormsAreTheSameAndCaseInsensitive() {
    List<PortSpec> sum = parse("/port", "80", "/ssl_port", "443", "/handoff_ports", "40000-40010", "/ftp_port", "21").localPorts();
    List<PortSpec> gnu = parse("--port", "80", "--ssl-port", "443", "--handoff-ports", "40000-40010", "--ftp-port", "21").localPorts();
    List<PortSpec> mixed = parse("/PORT=80", "/Ssl_Port=443", "/HANDOFF_PORTS", "40000-40010", "--FTP-PORT=21").localPorts();
    assertEquals(sum, gnu);
    assertEquals(sum, mixed);
    assertEquals(PortSpec.single(80, "HTTP"), sum.get(0));
  }

  @Test
  void tableShowsEveryTargetTypeOfTheSeedWithTheConfiguredPortsComingBack() {
    String table = run("/port", "8080");
    for (String type : List.of("Windows", "Linux", "VMware", "OA", "Superdome X", "iLO", "VC", "FC switch", "SAS switch", "Superdome Flex")) {
      assertTrue(table.lines().anyMatch(l -> l.startsWith(type + " ")), type + " missing in\n" + table);
    }
    String vmware = table.lines().filter(l -> l.startsWith("VMware ")).findFirst().orElseThrow();
    assertTrue(vmware.matches("VMware +Windows or Linux +443, 5989 +8080 \\(HTTP\\) +443, 5989 +8080 \\(HTTP\\)"), vmware);
    String windows = table.lines().filter(l -> l.startsWith("Windows ")).findFirst().orElseThrow();
    assertTrue(windows.matches("Windows +Windows +445, 135, 137, 138, 139 +none +445, 135, 137, 138, 139 +none"), windows);
    String sdx = table.lines().filter(l -> l.startsWith("Superdome X ")).findFirst().orElseThrow();
    assertTrue(sdx.matches("Superdome X +Windows or Linux +22, \\(80\\), 443 +none +22, \\(80\\), 443 +8080 \\(HTTP\\), 63002 \\(HTTPS\\)"), sdx);
    assertTrue(table.contains("\n  8080         HTTP\n  63002        HTTPS\n  63010-63099  hand-off\n"), table);
    assertTrue(table.contains("FTP is off"), table);
  }

  @Test
  void jsonIsMachineReadable() throws Exception {
    JsonNode root = new ObjectMapper().readTree(run("--format", "json"));
    JsonNode local = root.get("local");
    assertEquals(63001, local.get(0).get("first").asInt());
    assertEquals(63001, local.get(0).get("last").asInt());
    assertEquals("HTTP", local.get(0).get("why").asText());
    assertEquals("hand-off", local.get(2).get("why").asText());
    assertEquals(63099, local.get(2).get("last").asInt());
    JsonNode vmware = StreamSupport.stream(root.get("targets").spliterator(), false)
        .filter(t -> t.get("type").asText().equals("VMware")).findFirst().orElseThrow();
    for (String phase : List.of("inventory", "deployment")) {
      JsonNode to = vmware.get(phase).get("toTarget");
      assertEquals(List.of(443, 5989), StreamSupport.stream(to.spliterator(), false).map(p -> p.get("port").asInt()).toList());
      assertEquals(63001, vmware.get(phase).get("fromTarget").get(0).get("port").asInt());
      assertEquals("HTTP", vmware.get(phase).get("fromTarget").get(0).get("role").asText());
    }
    assertEquals(10, root.get("targets").size());
    JsonNode oa = root.get("targets").get(3);
    assertEquals("OA", oa.get("type").asText());
    assertTrue(oa.get("inventory").get("toTarget").get(1).get("optional").asBoolean(), "(80) is optional in the seed");
    assertEquals(0, oa.get("deployment").get("fromTarget").size());
  }

  @Test
  void ruleFormatsPrintPasteableCommandsForTheConfiguredPorts() {
    String nft = run("/format", "NFT", "/port", "80");
    assertTrue(nft.contains("nft 'insert rule inet filter input tcp dport 80 accept comment \"smartupdate:manual\"'\n"), nft);
    assertTrue(nft.contains("tcp dport 63010-63099 accept"), nft);
    assertTrue(run("--format", "iptables").contains("ip6tables -I INPUT 1 -p tcp -m tcp --dport 63002 "));
    assertTrue(run("--format=firewalld").contains("firewall-cmd '--add-rich-rule=rule port port=\"63001\" protocol=\"tcp\""));
  }

  @Test
  void badValuesAreParameterErrorsNamingTheOption() {
    assertEquals("invalid value for /format, --format: 'xml' (expected one of table, json, nft, iptables, firewalld)",
        assertThrows(ParameterException.class, () -> run("--format", "xml")).getMessage());
    assertEquals("invalid value for /port, --port: 70000 (expected a port 1-65535)",
        assertThrows(ParameterException.class, () -> run("/port", "70000")).getMessage());
    assertTrue(assertThrows(ParameterException.class, () -> run("/port", "0")).getMessage().contains("any free port is only known at start"));
    assertEquals("invalid value for /handoff_ports, --handoff-ports: '80-90' (every port must be above 1024)",
        assertThrows(ParameterException.class, () -> run("/handoff_ports", "80-90")).getMessage());
    assertEquals("invalid value for /handoff_ports, --handoff-ports: '63010' (expected a range A-B)",
        assertThrows(ParameterException.class, () -> run("/handoff_ports", "63010")).getMessage());
    assertEquals("ports overlap: 63001 (HTTP) and 63001 (HTTPS)",
        assertThrows(ParameterException.class, () -> run("/ssl_port", "63001")).getMessage());
    assertEquals("ports overlap: 63050 (HTTP) and 63010-63099 (hand-off)",
        assertThrows(ParameterException.class, () -> run("/port", "63050")).getMessage());
    assertThrows(ParameterException.class, () -> parse("/port", "eighty"));
    assertThrows(ParameterException.class, () -> parse("/repo", "/srv/fw"));
  }

  @Test
  void helpPrintsTheUsage() {
    String help = run("/?");
    assertTrue(help.contains("/port, --port=N"), help);
    assertFalse(help.contains("Ports by target type"), help);
  }

  @Test
  void worksAsAPicocliCallable() {
    CommandLine cli = cli();
    PrintStream saved = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, cli.execute("ports", "--format", "json"));
    } finally {
      System.setOut(saved);
    }
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("\"first\" : 63001"));
  }
}
