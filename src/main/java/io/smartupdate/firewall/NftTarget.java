package io.smartupdate.firewall;

import io.smartupdate.firewall.CommandRunner.Result;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An nft input base chain: rules inserted at its head, removed by the handle nft echoes. */
final class NftTarget implements RuleTarget {
  private static final Pattern HANDLE = Pattern.compile("#\\s*handle\\s+(\\d+)");

  private final String nft;
  private final NftRuleset.Chain chain;
  private final List<NftRuleset.Rule> rules;

  NftTarget(String nft, NftRuleset.Chain chain, List<NftRuleset.Rule> rules) {
    this.nft = nft;
    this.chain = chain;
    this.rules = List.copyOf(rules);
  }

  @Override
  public String describe() {
    return "nft " + chain.address();
  }

  @Override
  public List<TaggedRule> tagged() {
    return rules.stream().flatMap(rule -> OwnerTag.parse(rule.comment()).stream()
        .map(tag -> new TaggedRule(tag, describe() + " handle " + rule.handle(), delete(Long.toString(rule.handle()))))).toList();
  }

  @Override
  public Command add(PortSpec port, OwnerTag tag) {
    return FirewallRules.nftInsert(nft, chain.family(), chain.table(), chain.name(), port, tag.toString(), true);
  }

  @Override
  public Command removal(PortSpec port, OwnerTag tag, Result added) {
    Optional<String> handle = handle(added.stdout());
    if (handle.isEmpty()) {
      throw new IllegalStateException("nft did not echo the handle of the rule it inserted into " + chain.address()
          + " (printed: " + added.stdout().strip() + ")");
    }
    return delete(handle.get());
  }

  @Override
  public Command plannedRemoval(PortSpec port, OwnerTag tag) {
    return delete("<handle nft echoes for " + port.text() + ">");
  }

  static Optional<String> handle(String echoed) {
    Matcher m = HANDLE.matcher(echoed);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private Command delete(String handle) {
    return FirewallRules.nftDelete(nft, chain.family(), chain.table(), chain.name(), handle);
  }
}
