package io.smartupdate.firewall;

import io.smartupdate.firewall.CommandRunner.Result;
import java.util.List;

/** A place our accept rules go: one nft input base chain, one iptables INPUT chain, or one firewalld zone. */
interface RuleTarget {
  /** For the log: {@code "nft inet filter input"}, {@code "iptables-nft filter INPUT"}, {@code "firewalld zone public"}. */
  String describe();

  /** Rules already there that carry one of our tags (any instance, any pid), each with the command that removes exactly it. */
  List<TaggedRule> tagged();

  /** The command that puts an accept for {@code port} in front of everything else in this place. */
  Command add(PortSpec port, OwnerTag tag);

  /** The command that removes what {@code add} created, given its result (nft: the handle it echoed). */
  Command removal(PortSpec port, OwnerTag tag, Result added);

  /** The removal as a dry run shows it, before the rule exists. */
  Command plannedRemoval(PortSpec port, OwnerTag tag);

  /** An existing rule with one of our tags. */
  record TaggedRule(OwnerTag tag, String where, Command removal) {}
}
