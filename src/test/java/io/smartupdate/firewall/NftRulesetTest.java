package io.smartupdate.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NftRulesetTest {
  @Test
  void findsEveryInputBaseChainOfTypeFilterAndNothingElse() {
    NftRuleset ruleset = NftRuleset.parse(NftSamples.NATIVE);
    assertEquals(List.of("inet filter input", "ip extra in"), ruleset.inputChains().stream().map(NftRuleset.Chain::address).toList());
    NftRuleset.Chain input = ruleset.inputChains().get(0);
    assertEquals("drop", input.policy());
    assertFalse(input.xtables());
    assertEquals(10, ruleset.inputChains().get(1).priority());
  }

  @Test
  void readsRulesWithHandlesAndComments() {
    NftRuleset ruleset = NftRuleset.parse(NftSamples.NATIVE);
    List<NftRuleset.Rule> rules = ruleset.rulesIn(ruleset.inputChains().get(0));
    assertEquals(List.of(7L, 8L, 5L, 2L, 3L, 4L, 6L), rules.stream().map(NftRuleset.Rule::handle).toList());
    assertEquals("admin ssh", rules.get(5).comment());
    assertEquals(null, rules.get(3).comment());
    assertTrue(ruleset.rulesIn(ruleset.inputChains().get(1)).isEmpty());
  }

  @Test
  void taggedRulesAreOnlyThoseWithOurExactTagForm() {
    NftRuleset ruleset = NftRuleset.parse(NftSamples.withLivePid(NftSamples.NATIVE, 4242));
    assertEquals(List.of("smartupdate:63001:999999999", "smartupdate:other:4242", "smartupdate:x:12"),
        ruleset.tagged().stream().map(NftRuleset.Rule::comment).toList());
  }

  @Test
  void iptablesNftChainsAreMarkedForIptables() {
    NftRuleset ruleset = NftRuleset.parse(NftSamples.IPTABLES_NFT);
    assertEquals(List.of("ip filter INPUT", "ip6 filter INPUT"), ruleset.inputChains().stream().map(NftRuleset.Chain::address).toList());
    assertTrue(ruleset.inputChains().stream().allMatch(NftRuleset.Chain::xtables));
    // iptables-nft keeps its comments in xt matches: nft cannot show them, hence iptables -S for these chains
    assertTrue(ruleset.tagged().isEmpty());
  }

  @Test
  void anEmptyRulesetHasNoInputChain() {
    assertTrue(NftRuleset.parse(NftSamples.EMPTY).inputChains().isEmpty());
  }

  @Test
  void somethingElseIsRefusedWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NftRuleset.parse("Error: syntax error"));
    assertTrue(e.getMessage().startsWith("nft -j list ruleset printed no JSON"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> NftRuleset.parse("{\"other\": []}"));
  }
}
