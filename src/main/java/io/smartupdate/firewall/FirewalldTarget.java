package io.smartupdate.firewall;

import io.smartupdate.firewall.CommandRunner.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A firewalld zone: runtime rich rules only (never --permanent), tagged through their log prefix. */
final class FirewalldTarget implements RuleTarget {
  private static final Pattern PREFIX = Pattern.compile("\\blog\\b.*?\\bprefix=\"([^\"]*)\"");

  private final String program;
  private final String zone;
  private final List<String> richRules;

  /**
   * @param richRules what {@code firewall-cmd --zone=ZONE --list-rich-rules} printed, one rule a line
   */
  FirewalldTarget(String program, String zone, String richRules) {
    this.program = program;
    this.zone = zone;
    this.richRules = richRules.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  @Override
  public String describe() {
    return "firewalld zone " + zone;
  }

  @Override
  public List<TaggedRule> tagged() {
    List<TaggedRule> tagged = new ArrayList<>();
    for (String rule : richRules) {
      Matcher m = PREFIX.matcher(rule);
      if (!m.find()) continue;
      OwnerTag.parse(m.group(1)).ifPresent(tag ->
          tagged.add(new TaggedRule(tag, describe(), FirewallRules.firewalld(program, zone, "--remove-rich-rule=", rule))));
    }
    return tagged;
  }

  @Override
  public Command add(PortSpec port, OwnerTag tag) {
    return FirewallRules.firewalld(program, zone, "--add-rich-rule=", FirewallRules.richRule(port, tag.toString()));
  }

  @Override
  public Command removal(PortSpec port, OwnerTag tag, Result added) {
    return plannedRemoval(port, tag);
  }

  @Override
  public Command plannedRemoval(PortSpec port, OwnerTag tag) {
    return FirewallRules.firewalld(program, zone, "--remove-rich-rule=", FirewallRules.richRule(port, tag.toString()));
  }
}
