package io.smartupdate.firewall;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The parts of {@code nft -j list ruleset} the firewall needs: the base chains that filter input
 * traffic (an accept only helps in front of the drops of every such chain; one in a table of our
 * own would not override them) and the rules in them with their comments and handles.
 */
final class NftRuleset {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FAMILIES = Set.of("inet", "ip", "ip6");
  private static final Set<String> XTABLES_TABLES = Set.of("filter", "mangle", "raw", "security");

  /**
   * An input base chain.
   *
   * @param xtables made by iptables-nft ({@code ip filter INPUT}): its rules are managed with iptables-nft, not nft
   */
  record Chain(String family, String table, String name, int priority, String policy, boolean xtables) {
    String address() {
      return family + " " + table + " " + name;
    }
  }

  /** A rule of an input chain; {@code comment} is null when it has none. */
  record Rule(String family, String table, String chain, long handle, String comment) {
    boolean in(Chain c) {
      return family.equals(c.family) && table.equals(c.table) && chain.equals(c.name);
    }
  }

  private final List<Chain> inputChains;
  private final List<Rule> rules;

  private NftRuleset(List<Chain> inputChains, List<Rule> rules) {
    this.inputChains = List.copyOf(inputChains);
    this.rules = List.copyOf(rules);
  }

  /** Parses the JSON; throws IllegalArgumentException with the reason when it is not an nft ruleset. */
  static NftRuleset parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("nft -j list ruleset printed no JSON: " + e.getOriginalMessage());
    }
    JsonNode items = root == null ? null : root.get("nftables");
    if (items == null || !items.isArray()) throw new IllegalArgumentException("nft -j list ruleset printed no \"nftables\" array");
    List<Chain> chains = new ArrayList<>();
    List<Rule> rules = new ArrayList<>();
    for (JsonNode item : items) {
      JsonNode chain = item.get("chain");
      if (chain != null && isInputFilter(chain)) {
        String family = chain.path("family").asText();
        String table = chain.path("table").asText();
        String name = chain.path("name").asText();
        boolean xtables = !family.equals("inet") && XTABLES_TABLES.contains(table) && name.equals("INPUT");
        chains.add(new Chain(family, table, name, chain.path("prio").asInt(0), chain.path("policy").asText("accept"), xtables));
      }
      JsonNode rule = item.get("rule");
      if (rule != null) {
        JsonNode comment = rule.get("comment");
        rules.add(new Rule(rule.path("family").asText(), rule.path("table").asText(), rule.path("chain").asText(),
            rule.path("handle").asLong(-1), comment == null || comment.isNull() ? null : comment.asText()));
      }
    }
    return new NftRuleset(chains, rules);
  }

  private static boolean isInputFilter(JsonNode chain) {
    return "input".equals(chain.path("hook").asText()) && "filter".equals(chain.path("type").asText())
        && FAMILIES.contains(chain.path("family").asText());
  }

  /** Base chains of type filter with hook input in the inet, ip and ip6 families, in listing order. */
  List<Chain> inputChains() {
    return inputChains;
  }

  List<Rule> rulesIn(Chain chain) {
    return rules.stream().filter(r -> r.in(chain)).toList();
  }

  /** Rules whose comment is one of our tags, in any chain. */
  List<Rule> tagged() {
    return rules.stream().filter(r -> OwnerTag.parse(r.comment()).isPresent()).toList();
  }
}
