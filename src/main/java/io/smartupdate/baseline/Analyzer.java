package io.smartupdate.baseline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one node needs of a baseline: one {@link Finding} per component, in the baseline's order.
 * Pure: the same baseline and inventory always give the same findings, so stored inventories can
 * be re-analysed whenever the baseline changes.
 */
public final class Analyzer {
  /** {@code --downgrade}: newer installed versions are to be replaced; {@code --rewrite}: equal ones flashed again. */
  public record Options(boolean downgrade, boolean rewrite) {
    public static final Options NONE = new Options(false, false);
  }

  /** When one component matches several members, the one that decides: the first that needs something done. */
  private static final List<Action> WEIGHT = List.of(Action.BLOCKED, Action.UPDATE, Action.DOWNGRADE, Action.UNKNOWN,
      Action.REWRITE, Action.UP_TO_DATE, Action.NOT_APPLICABLE);

  private final Baseline baseline;
  private final NodeInventory node;
  private final Options options;

  private Analyzer(Baseline baseline, NodeInventory node, Options options) {
    this.baseline = baseline;
    this.node = node;
    this.options = options;
  }

  /** The findings for every component of {@code baseline} on {@code node}. */
  public static List<Finding> analyze(Baseline baseline, NodeInventory node, Options options) {
    Analyzer analyzer = new Analyzer(baseline, node, options);
    List<Finding> findings = new ArrayList<>(baseline.components().size());
    for (Component component : baseline.components()) findings.add(analyzer.finding(component, new HashSet<>()));
    return List.copyOf(findings);
  }

  /** {@code visiting}: the components whose prerequisites are being checked, so a cycle in {@code requires} ends. */
  private Finding finding(Component component, Set<String> visiting) {
    Matcher.Result match = Matcher.match(component, node);
    if (!match.matched()) return finding(component, null, match.verdict(), match.reason());
    List<Finding> each = match.members().stream().map(member -> member(component, member, visiting)).toList();
    Finding decisive = each.stream().min(Comparator.comparingInt(f -> WEIGHT.indexOf(f.action()))).orElseThrow();
    if (each.size() == 1) return decisive;
    return finding(component, decisive.installed(), decisive.action(),
        each.size() + " members match by " + match.by() + "; " + decisive.reason());
  }

  private Finding member(Component component, InventoryItem member, Set<String> visiting) {
    String installed = member.version();
    String available = component.version();
    if (installed == null || installed.isBlank()) {
      return finding(component, null, Action.UNKNOWN, "member " + Matcher.describe(member) + " reports no Version string");
    }
    VersionOrder order = compare(component, installed, available);
    if (order == VersionOrder.UNKNOWN) {
      return finding(component, installed, Action.UNKNOWN, "cannot compare installed \"" + installed + "\" with \"" + available
          + "\" (" + component.versionScheme() + " versions)");
    }
    Finding planned = switch (order) {
      case OLDER -> finding(component, installed, Action.UPDATE, "installed " + installed + " is older than " + available);
      case EQUAL -> options.rewrite()
          ? finding(component, installed, Action.REWRITE, "installed " + installed + " is the baseline's version; --rewrite flashes it again")
          : finding(component, installed, Action.UP_TO_DATE, "installed " + installed + " is the baseline's version");
      case NEWER -> finding(component, installed, Action.DOWNGRADE, "installed " + installed + " is newer than " + available
          + (options.downgrade() ? "; --downgrade applies " + available : "; skipped (pass --downgrade to apply " + available + ")"));
      case UNKNOWN -> throw new AssertionError();
    };
    boolean flashes = order == VersionOrder.OLDER || order == VersionOrder.EQUAL && options.rewrite()
        || order == VersionOrder.NEWER && options.downgrade();
    if (!flashes) return planned;
    String minimum = component.minimumActiveVersion();
    if (minimum != null && compare(component, installed, minimum) == VersionOrder.UNKNOWN) {
      return finding(component, installed, Action.UNKNOWN, "cannot compare installed \"" + installed
          + "\" with the minimum active version \"" + minimum + "\"");
    }
    String blocked = blocker(component, installed, visiting);
    return blocked == null ? planned : finding(component, installed, Action.BLOCKED, blocked);
  }

  /** Why {@code component} cannot be applied on this node yet, or null when nothing stands in the way. */
  private String blocker(Component component, String installed, Set<String> visiting) {
    String minimum = component.minimumActiveVersion();
    if (minimum != null && compare(component, installed, minimum) == VersionOrder.OLDER) {
      return "installed " + installed + " is below the minimum active version " + minimum + ": update to " + minimum + " first";
    }
    visiting.add(component.id());
    try {
      for (String required : component.requires()) {
        if (visiting.contains(required)) return "requires " + required + ", which requires " + component.id() + " in turn (a cycle)";
        Component prerequisite = baseline.component(required).orElse(null);
        if (prerequisite == null) return "requires " + required + ", which baseline " + baseline.name() + " does not have";
        Finding done = finding(prerequisite, visiting);
        switch (done.action()) {
          case UP_TO_DATE, UPDATE, REWRITE, DOWNGRADE -> {
            // installed, or applied first by the deploy plan (requires order the steps)
          }
          default -> {
            return "requires " + required + " (" + prerequisite.name() + "), which is " + done.action().json() + " here: " + done.reason();
          }
        }
      }
      return null;
    } finally {
      visiting.remove(component.id());
    }
  }

  private static VersionOrder compare(Component component, String installed, String other) {
    return Versions.compare(component.versionScheme(), installed, other);
  }

  private Finding finding(Component component, String installed, Action action, String reason) {
    return new Finding(node.node(), component.id(), component.name(), installed, component.version(), action, reason);
  }
}
