package io.smartupdate.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Finds the inventory members a component updates on one node. The criteria are tried strongest
 * first (softwareId; HPE target GUIDs with deviceClass or Dell componentId; PCI ids; the name
 * regex) and the first that finds members wins. {@code models} and {@code systemIds} decide first
 * whether the component fits the node at all.
 */
public final class Matcher {
  /** Compiled name regexes; a baseline has few, and a fleet is analysed against the same ones. */
  private static final ConcurrentHashMap<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private Matcher() {}

  /**
   * The members found (several for identical devices, say two ports of one NIC) with the criterion
   * that found them; or none, with the action ({@code not-applicable} or {@code unknown}) and why.
   */
  public record Result(List<InventoryItem> members, String by, Action verdict, String reason) {
    public Result {
      members = List.copyOf(Objects.requireNonNull(members, "members == null"));
      if (members.isEmpty() == (verdict == null)) throw new IllegalArgumentException("a result has members or a verdict, not both");
    }

    static Result found(List<InventoryItem> members, String by) {
      return new Result(members, by, null, null);
    }

    static Result none(Action verdict, String reason) {
      return new Result(List.of(), null, verdict, reason);
    }

    public boolean matched() {
      return !members.isEmpty();
    }
  }

  /** The members of {@code node} that {@code component} updates, or why there are none. */
  public static Result match(Component component, NodeInventory node) {
    Match match = component.match();
    // A node that does not say its model or system id is not excluded by them; it is unknown only if a member matches.
    Result fits = fits(match, node);
    if (fits != null && fits.verdict() == Action.NOT_APPLICABLE) return fits;
    Result found = members(match, node);
    return fits != null && found.matched() ? fits : found;
  }

  private static Result members(Match match, NodeInventory node) {
    List<String> tried = new ArrayList<>();
    List<InventoryItem> found;
    if (match.softwareId() != null) {
      tried.add("softwareId " + match.softwareId());
      found = select(node, i -> match.softwareId().equalsIgnoreCase(i.softwareId()));
      if (!found.isEmpty()) return updateable(found, "softwareId");
    }
    if (!match.hpeTargets().isEmpty()) {
      tried.add("HPE targets " + match.hpeTargets() + (match.deviceClass() == null ? "" : " with deviceClass " + match.deviceClass()));
      Set<String> targets = match.hpeTargets().stream().map(Matcher::guid).collect(Collectors.toSet());
      found = select(node, i -> i.hpeTargets().stream().map(Matcher::guid).anyMatch(targets::contains)
          && (match.deviceClass() == null || i.deviceClass() == null || guid(match.deviceClass()).equals(guid(i.deviceClass()))));
      if (!found.isEmpty()) return updateable(found, "HPE target");
    }
    if (match.dellComponentId() != null) {
      tried.add("Dell componentId " + match.dellComponentId());
      found = select(node, i -> match.dellComponentId().equalsIgnoreCase(i.dellComponentId()));
      if (!found.isEmpty()) return updateable(found, "Dell componentId");
    }
    if (match.pci() != null) {
      tried.add("PCI ids " + pci(match.pci()));
      found = select(node, i -> pciMatches(match.pci(), i.pci()));
      if (!found.isEmpty()) return updateable(found, "PCI ids");
    }
    if (match.nameRegex() != null) {
      Pattern pattern;
      try {
        pattern = PATTERNS.computeIfAbsent(match.nameRegex(), r -> Pattern.compile(r, Pattern.CASE_INSENSITIVE));
      } catch (PatternSyntaxException e) {
        return Result.none(Action.UNKNOWN, "the component's nameRegex \"" + match.nameRegex() + "\" is not a valid regex: " + e.getDescription());
      }
      tried.add("name ~ /" + match.nameRegex() + "/");
      found = select(node, i -> pattern.matcher(i.name()).find());
      if (!found.isEmpty()) return updateable(found, "name");
    }
    if (tried.isEmpty()) return Result.none(Action.NOT_APPLICABLE, "the component has no match criteria in the manifest");
    return Result.none(Action.NOT_APPLICABLE, "no inventory member matches " + String.join(", or ", tried));
  }

  /** Null when the component fits the node's model and system id; otherwise the verdict. */
  private static Result fits(Match match, NodeInventory node) {
    if (!match.models().isEmpty()) {
      if (node.model() == null) return Result.none(Action.UNKNOWN, "the component is for models " + match.models() + " and the node reported no Model");
      String model = squash(node.model());
      if (match.models().stream().noneMatch(m -> model.contains(squash(m)))) {
        return Result.none(Action.NOT_APPLICABLE, "the component is for models " + match.models() + ", not " + node.model());
      }
    }
    if (!match.systemIds().isEmpty()) {
      if (node.systemId() == null) {
        return Result.none(Action.UNKNOWN, "the component is for system ids " + match.systemIds() + " and the node reported none");
      }
      if (match.systemIds().stream().noneMatch(id -> hex(id).equals(hex(node.systemId())))) {
        return Result.none(Action.NOT_APPLICABLE, "the component is for system ids " + match.systemIds() + ", not " + node.systemId());
      }
    }
    return null;
  }

  /** Members that cannot be updated are found but not offered: "Updateable: false" is not applicable. */
  private static Result updateable(List<InventoryItem> found, String by) {
    List<InventoryItem> open = found.stream().filter(InventoryItem::updateable).toList();
    if (!open.isEmpty()) return Result.found(open, by);
    return Result.none(Action.NOT_APPLICABLE, "member " + describe(found.get(0)) + " matches by " + by + " but is not updateable (Updateable: false)");
  }

  private static List<InventoryItem> select(NodeInventory node, Predicate<InventoryItem> test) {
    return node.items().stream().filter(test).toList();
  }

  private static boolean pciMatches(Pci wanted, Pci have) {
    if (have == null) return false;
    return part(wanted.vendor(), have.vendor()) && part(wanted.device(), have.device())
        && part(wanted.subvendor(), have.subvendor()) && part(wanted.subdevice(), have.subdevice());
  }

  /** A null wanted part matches anything; a wanted part the member lacks does not. */
  private static boolean part(String wanted, String have) {
    return wanted == null || have != null && hex(wanted).equals(hex(have));
  }

  /** "0x8086", "8086" and "08086" are one id. */
  static String hex(String id) {
    String text = id.strip().toLowerCase(Locale.ROOT);
    if (text.startsWith("0x")) text = text.substring(2);
    text = text.replaceFirst("^0+(?=.)", "");
    return text;
  }

  private static String guid(String text) {
    return text.strip().toLowerCase(Locale.ROOT).replaceAll("[{}]", "");
  }

  private static String squash(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
  }

  private static String pci(Pci pci) {
    return String.join(":", List.of(String.valueOf(pci.vendor()), String.valueOf(pci.device()), String.valueOf(pci.subvendor()),
        String.valueOf(pci.subdevice()))).replace("null", "*");
  }

  /** {@code Id "Name"}, how a member is named in reasons. */
  static String describe(InventoryItem item) {
    return item.id().equals(item.name()) ? item.id() : item.id() + " \"" + item.name() + "\"";
  }
}
