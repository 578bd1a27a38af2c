package io.smartupdate.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.firewall.CommandRunner.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three places rules go: how each adds, finds and removes exactly our rules. */
class RuleTargetTest {
  private static final OwnerTag TAG = new OwnerTag("63001", 4242);
  private static final PortSpec HTTP = PortSpec.single(63001, "HTTP");

  /** iptables-nft 1.8.9 {@code iptables -S INPUT}: one of ours (dead owner), a foreign rule, a manual one. */
  private static final String IPTABLES_S = """
      -P INPUT DROP
      -A INPUT -p tcp -m tcp --dport 63010:63099 -m comment --comment "smartupdate:63001:999999999" -j ACCEPT
      -A INPUT -p tcp -m tcp --dport 22 -m comment --comment "admin \\"ssh\\" access" -j ACCEPT
      -A INPUT -p tcp -m tcp --dport 63002 -m comment --comment smartupdate:manual -j ACCEPT
      -A INPUT -i lo -j ACCEPT
      """;

  @Test
  void nftInsertsAtTheHeadAndRemovesByTheEchoedHandle() {
    NftRuleset ruleset = NftRuleset.parse(NftSamples.NATIVE);
    NftTarget target = new NftTarget("nft", ruleset.inputChains().get(0), ruleset.rulesIn(ruleset.inputChains().get(0)));
    Command add = target.add(HTTP, TAG);
    assertEquals("nft --echo --handle 'insert rule inet filter input tcp dport 63001 accept comment \"smartupdate:63001:4242\"'",
        add.toString());
    Result echoed = new Result(add, 0, "insert rule inet filter input tcp dport 63001 accept comment \"smartupdate:63001:4242\" # handle 23\n"
        + "# new generation 9 by process 77 (nft)\n", "");
    assertEquals("nft 'delete rule inet filter input handle 23'", target.removal(HTTP, TAG, echoed).toString());
    assertThrows(IllegalStateException.class, () -> target.removal(HTTP, TAG, new Result(add, 0, "", "")));
  }

  @Test
  void nftFindsOurTaggedRulesByComment() {
    NftRuleset ruleset = NftRuleset.parse(NftSamples.withLivePid(NftSamples.NATIVE, 77));
    NftTarget target = new NftTarget("nft", ruleset.inputChains().get(0), ruleset.rulesIn(ruleset.inputChains().get(0)));
    List<RuleTarget.TaggedRule> tagged = target.tagged();
    assertEquals(List.of("smartupdate:63001:999999999", "smartupdate:other:77", "smartupdate:x:12"),
        tagged.stream().map(t -> t.tag().toString()).toList());
    assertEquals("nft 'delete rule inet filter input handle 7'", tagged.get(0).removal().toString());
  }

  @Test
  void iptablesListingGivesPolicyAndOurRulesWithTheirExactDeleteCommand() {
    XtablesTarget target = new XtablesTarget("iptables", "filter", IPTABLES_S);
    assertTrue(target.filters());
    List<RuleTarget.TaggedRule> tagged = target.tagged();
    assertEquals(1, tagged.size());
    assertEquals(new OwnerTag("63001", 999999999), tagged.get(0).tag());
    assertEquals(List.of("iptables", "-w", "5", "-t", "filter", "-D", "INPUT", "-p", "tcp", "-m", "tcp", "--dport", "63010:63099",
        "-m", "comment", "--comment", "smartupdate:63001:999999999", "-j", "ACCEPT"), tagged.get(0).removal().argv());
  }

  @Test
  void iptablesInsertsAtPositionOneAndDeletesByTheSameSpecification() {
    XtablesTarget target = new XtablesTarget("ip6tables", "filter", "-P INPUT ACCEPT\n");
    assertFalse(target.filters(), "an empty ACCEPT chain filters nothing");
    assertEquals("ip6tables -w 5 -t filter -I INPUT 1 -p tcp -m tcp --dport 63001 -m comment --comment smartupdate:63001:4242 -j ACCEPT",
        target.add(HTTP, TAG).toString());
    assertEquals("ip6tables -w 5 -t filter -D INPUT -p tcp -m tcp --dport 63001 -m comment --comment smartupdate:63001:4242 -j ACCEPT",
        target.removal(HTTP, TAG, null).toString());
  }

  @Test
  void iptablesWordsHonourQuotesAndEscapes() {
    assertEquals(List.of("-A", "INPUT", "--comment", "admin \"ssh\" access", "-j", "ACCEPT"),
        XtablesTarget.words("-A INPUT --comment \"admin \\\"ssh\\\" access\" -j ACCEPT"));
  }

  @Test
  void firewalldFindsOurRichRulesByTheirLogPrefix() {
    String listed = """
        rule family="ipv4" source address="10.0.0.0/8" accept
        rule port port="63001" protocol="tcp" log prefix="smartupdate:63001:999999999 " level="info" limit value="1/h" accept
        rule service name="ssh" log prefix="ssh " level="info" accept
        """;
    FirewalldTarget target = new FirewalldTarget("firewall-cmd", "public", listed);
    List<RuleTarget.TaggedRule> tagged = target.tagged();
    assertEquals(1, tagged.size());
    assertEquals(List.of("firewall-cmd", "--zone=public", "--remove-rich-rule=rule port port=\"63001\" protocol=\"tcp\""
        + " log prefix=\"smartupdate:63001:999999999 \" level=\"info\" limit value=\"1/h\" accept"), tagged.get(0).removal().argv());
    assertEquals(List.of("firewall-cmd", "--zone=public", "--add-rich-rule=rule port port=\"63001\" protocol=\"tcp\""
        + " log prefix=\"smartupdate:63001:4242 \" level=\"info\" limit value=\"1/h\" accept"), target.add(HTTP, TAG).argv());
  }
}
