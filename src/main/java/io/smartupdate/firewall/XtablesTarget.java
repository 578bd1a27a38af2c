package io.smartupdate.firewall;

import io.smartupdate.firewall.CommandRunner.Result;
import java.util.ArrayList;
import java.util.List;

/**
 * The INPUT chain of one iptables table for one program ({@code iptables}, {@code ip6tables},
 * their -nft or -legacy variants): rules inserted at position 1, removed by their exact specification.
 */
final class XtablesTarget implements RuleTarget {
  private final String program;
  private final String table;
  private final String policy;
  private final List<List<String>> rules;

  /**
   * @param listing what {@code PROGRAM -t TABLE -S INPUT} printed
   */
  XtablesTarget(String program, String table, String listing) {
    this.program = program;
    this.table = table;
    String chainPolicy = "ACCEPT";
    List<List<String>> parsed = new ArrayList<>();
    for (String line : listing.lines().toList()) {
      List<String> words = words(line);
      if (words.size() >= 3 && words.get(0).equals("-P") && words.get(1).equals("INPUT")) chainPolicy = words.get(2);
      if (words.size() >= 2 && words.get(0).equals("-A") && words.get(1).equals("INPUT")) parsed.add(words);
    }
    this.policy = chainPolicy;
    this.rules = List.copyOf(parsed);
  }

  /** True when this chain can drop anything: a policy other than ACCEPT, or any rule (one may drop or jump to a drop). */
  boolean filters() {
    return !policy.equals("ACCEPT") || !rules.isEmpty();
  }

  @Override
  public String describe() {
    return program + " " + table + " INPUT";
  }

  @Override
  public List<TaggedRule> tagged() {
    List<TaggedRule> tagged = new ArrayList<>();
    for (List<String> words : rules) {
      int at = words.indexOf("--comment");
      if (at < 0 || at + 1 >= words.size()) continue;
      OwnerTag.parse(words.get(at + 1)).ifPresent(tag -> {
        List<String> argv = new ArrayList<>(List.of(program, "-w", "5", "-t", table, "-D"));
        argv.addAll(words.subList(1, words.size()));
        tagged.add(new TaggedRule(tag, describe(), new Command(argv)));
      });
    }
    return tagged;
  }

  @Override
  public Command add(PortSpec port, OwnerTag tag) {
    return FirewallRules.iptables(program, List.of("-w", "5", "-t", table, "-I", "INPUT", "1"), port, tag.toString());
  }

  @Override
  public Command removal(PortSpec port, OwnerTag tag, Result added) {
    return plannedRemoval(port, tag);
  }

  @Override
  public Command plannedRemoval(PortSpec port, OwnerTag tag) {
    return FirewallRules.iptables(program, List.of("-w", "5", "-t", table, "-D", "INPUT"), port, tag.toString());
  }

  /** Splits an {@code iptables -S} line into words: double quotes group, a backslash escapes the next character. */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        if (word == null) word = new StringBuilder();
        word.append(line.charAt(++i));
      } else if (c == '"') {
        if (word == null) word = new StringBuilder();
        quoted = !quoted;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (word != null) words.add(word.toString());
        word = null;
      } else {
        if (word == null) word = new StringBuilder();
        word.append(c);
      }
    }
    if (word != null) words.add(word.toString());
    return words;
  }
}
