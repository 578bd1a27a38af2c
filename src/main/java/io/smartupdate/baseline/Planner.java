package io.smartupdate.baseline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Turns one node's findings into its ordered steps. Pure, like {@link Analyzer}: every
 * {@code update}, {@code downgrade} with --downgrade and {@code rewrite} with --rewrite is planned;
 * {@code requires} orders first (topologically), then {@code order}, then the vendor rule that a
 * BMC's own firmware goes last (it resets the BMC), then the baseline's order. A component blocked
 * by {@code minimumActiveVersion} gets the lowest version the repository has between that minimum
 * and its target planned before it; without one the node is blocked, naming the missing version.
 */
public final class Planner {
  /** Chains of hops longer than this are a manifest mistake, not a plan. */
  private static final int MAX_HOPS = 8;

  private final Baseline baseline;
  private final List<Component> repository;

  private Planner(Baseline baseline, List<Component> repository) {
    this.baseline = baseline;
    this.repository = repository;
  }

  /**
   * The plan for {@code node} from its {@code findings} against {@code baseline}; {@code repository}
   * holds every component the repository offers (other baselines' too), where hops are looked for.
   */
  public static NodePlan plan(String node, List<Finding> findings, Baseline baseline, List<Component> repository, Analyzer.Options options) {
    return new Planner(baseline, repository).plan(node, findings, options);
  }

  private NodePlan plan(String node, List<Finding> findings, Analyzer.Options options) {
    Map<String, Finding> byId = new HashMap<>();
    Map<String, List<PlannedStep>> chains = new LinkedHashMap<>();
    List<Finding> pending = new ArrayList<>();
    List<String> blocked = new ArrayList<>();
    for (Finding f : findings) {
      byId.put(f.componentId(), f);
      Component component = baseline.component(f.componentId()).orElse(null);
      if (component == null) continue;
      switch (f.action()) {
        case UPDATE, REWRITE -> chains.put(component.id(), List.of(new PlannedStep(component, f.installed(), false)));
        case DOWNGRADE -> {
          if (options.downgrade()) chains.put(component.id(), List.of(new PlannedStep(component, f.installed(), false)));
        }
        case BLOCKED -> {
          String missing = belowMinimum(component, f.installed()) ? hop(component, f.installed(), chains) : null;
          if (missing != null) blocked.add(missing);
          else pending.add(f);
        }
        default -> {
          // up-to-date, not-applicable, unknown: nothing to flash
        }
      }
    }
    resolveRequires(pending, chains, byId, blocked);
    if (!blocked.isEmpty()) return new NodePlan(node, List.of(), blocked);
    return new NodePlan(node, order(chains), List.of());
  }

  /** A blocked component whose prerequisites are all planned (or installed) is planned too; the rest block the node. */
  private void resolveRequires(List<Finding> pending, Map<String, List<PlannedStep>> chains, Map<String, Finding> byId, List<String> blocked) {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (var it = pending.iterator(); it.hasNext(); ) {
        Finding f = it.next();
        Component component = baseline.component(f.componentId()).orElseThrow();
        boolean ready = component.requires().stream().allMatch(r -> chains.containsKey(r) && !r.equals(component.id())
            || byId.containsKey(r) && byId.get(r).action() == Action.UP_TO_DATE);
        if (!ready) continue;
        if (!chains.containsKey(component.id())) chains.put(component.id(), List.of(new PlannedStep(component, f.installed(), false)));
        it.remove();
        changed = true;
      }
    }
    for (Finding f : pending) {
      chains.remove(f.componentId());
      blocked.add(f.componentId() + ": " + f.reason());
    }
  }

  /** Plans the hops and the component into {@code chains}; or returns why it cannot, naming the missing version. */
  private String hop(Component component, String installed, Map<String, List<PlannedStep>> chains) {
    List<PlannedStep> chain = new ArrayList<>();
    String current = installed;
    Component next = component;
    List<Component> hops = new ArrayList<>();
    while (belowMinimum(next, current)) {
      Optional<Component> found = lowestHop(next, current);
      if (found.isEmpty() || hops.size() == MAX_HOPS) {
        return component.id() + ": installed " + current + " is below the minimum active version " + next.minimumActiveVersion() + " of "
            + next.version() + ", and the repository has no " + next.name() + " at version " + next.minimumActiveVersion()
            + " or later below " + next.version() + " to apply first";
      }
      hops.add(0, found.get());
      next = found.get();
      // the hop itself may need one: it is judged against what is installed now
    }
    String from = installed;
    for (Component h : hops) {
      chain.add(new PlannedStep(h, from, true));
      from = h.version();
    }
    chain.add(new PlannedStep(component, from, false));
    chains.put(component.id(), chain);
    return null;
  }

  /** The lowest version of the same device at least {@code target}'s minimum and below it, newer than {@code installed}. */
  private Optional<Component> lowestHop(Component target, String installed) {
    String scheme = target.versionScheme();
    Comparator<Component> byVersion = (a, b) -> switch (Versions.compare(scheme, a.version(), b.version())) {
      case OLDER -> -1;
      case NEWER -> 1;
      default -> 0;
    };
    return candidates().stream()
        .filter(c -> !c.id().equals(target.id()) && c.match().equals(target.match()) && c.versionScheme().equals(scheme))
        .filter(c -> atLeast(scheme, c.version(), target.minimumActiveVersion()))
        .filter(c -> Versions.compare(scheme, c.version(), target.version()) == VersionOrder.OLDER)
        .filter(c -> Versions.compare(scheme, installed, c.version()) == VersionOrder.OLDER)
        .min(byVersion);
  }

  private List<Component> candidates() {
    Map<String, Component> all = new LinkedHashMap<>();
    for (Component c : baseline.components()) all.put(c.id(), c);
    for (Component c : repository) all.putIfAbsent(c.id(), c);
    return List.copyOf(all.values());
  }

  private static boolean belowMinimum(Component component, String installed) {
    String minimum = component.minimumActiveVersion();
    return minimum != null && installed != null && Versions.compare(component.versionScheme(), installed, minimum) == VersionOrder.OLDER;
  }

  private static boolean atLeast(String scheme, String version, String minimum) {
    VersionOrder o = Versions.compare(scheme, version, minimum);
    return o == VersionOrder.EQUAL || o == VersionOrder.NEWER;
  }

  /** Kahn's algorithm over {@code requires}; among the ready, by order, BMC last, then the baseline's order. */
  private List<PlannedStep> order(Map<String, List<PlannedStep>> chains) {
    List<String> ids = new ArrayList<>(chains.keySet());
    Map<String, Set<String>> waitsFor = new HashMap<>();
    for (String id : ids) {
      Set<String> needs = new LinkedHashSet<>();
      for (String r : chains.get(id).get(chains.get(id).size() - 1).component().requires()) if (chains.containsKey(r)) needs.add(r);
      waitsFor.put(id, needs);
    }
    Comparator<String> rank = Comparator.<String>comparingInt(id -> last(chains, id).order())
        .thenComparingInt(id -> last(chains, id).componentClass() == ComponentClass.BMC ? 1 : 0)
        .thenComparingInt(this::index);
    PriorityQueue<String> ready = new PriorityQueue<>(rank);
    for (String id : ids) if (waitsFor.get(id).isEmpty()) ready.add(id);
    List<PlannedStep> steps = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    while (!ready.isEmpty()) {
      String id = ready.poll();
      done.add(id);
      steps.addAll(chains.get(id));
      for (String other : ids) {
        if (done.contains(other) || ready.contains(other)) continue;
        if (done.containsAll(waitsFor.get(other))) ready.add(other);
      }
    }
    if (done.size() != ids.size()) {
      // the Analyzer reports a requires cycle as blocked; a plan that still has one is a bug, not a node's state
      throw new IllegalStateException("requires cycle among " + ids.stream().filter(id -> !done.contains(id)).toList());
    }
    return List.copyOf(steps);
  }

  private static Component last(Map<String, List<PlannedStep>> chains, String id) {
    List<PlannedStep> chain = chains.get(id);
    return chain.get(chain.size() - 1).component();
  }

  private int index(String id) {
    List<Component> components = baseline.components();
    for (int i = 0; i < components.size(); i++) if (components.get(i).id().equals(id)) return i;
    return components.size();
  }
}
