package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The README and docs/ as a reader follows them: every relative link lands on a file and, when it
 * names one, a heading; and the README's options table is the main command's options, no more, no less.
 */
class DocsTest {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  /** Docs the README maps before the work that writes them lands: absent is allowed, a link into a wrong heading is not. */
  private static final Set<String> COMING = Set.of("docs/baselines.md", "docs/several-servers.md");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```");
  private static final Pattern CODE_SPAN = Pattern.compile("`[^`\\n]*`");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+)$");
  /** An option name in a table cell: a SUM or GNU form, set off by a backtick, a space or '='. */
  private static final Pattern OPTION = Pattern.compile("(?<=[`\\s])(/[a-z0-9_?]+|--?[a-z][a-z0-9-]*)(?=[`\\s=])");

  @Test
  void everyRelativeLinkLandsOnAFileAndHeading() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path doc : docs()) {
      String text = CODE_SPAN.matcher(FENCE.matcher(Files.readString(doc)).replaceAll("")).replaceAll("");
      Matcher link = LINK.matcher(text);
      while (link.find()) {
        String target = link.group(1);
        if (target.matches("[a-z]+:.*")) continue; // https:, mailto: are not ours to check offline
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path dest = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
        String where = ROOT.relativize(doc) + ": (" + target + ")";
        if (!Files.exists(dest)) {
          if (!COMING.contains(ROOT.relativize(dest).toString())) broken.add(where + " names no file");
        } else if (hash >= 0 && !anchors(dest).contains(target.substring(hash + 1))) {
          broken.add(where + " names no heading of " + ROOT.relativize(dest));
        }
      }
    }
    assertEquals(List.of(), broken);
  }

  @Test
  void readmeOptionsTableIsTheMainCommandsOptions() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int start = readme.indexOf("\n## Options\n");
    assertTrue(start >= 0, "README.md has no '## Options' section");
    int end = readme.indexOf("\n## ", start + 1);
    Set<String> documented = new TreeSet<>();
    for (String row : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
      if (!row.startsWith("|") || row.startsWith("|---")) continue;
      String[] cells = row.split("(?<!\\\\)\\|");
      for (int i = 1; i <= 2 && i < cells.length; i++) {
        Matcher name = OPTION.matcher(cells[i]);
        while (name.find()) documented.add(name.group(1));
      }
    }
    Set<String> declared = new TreeSet<>();
    for (OptionSpec option : Main.commandLine(new ServeCommand()).getCommandSpec().options()) {
      if (!option.hidden()) declared.addAll(List.of(option.names()));
    }
    Set<String> undocumented = new TreeSet<>(declared);
    undocumented.removeAll(documented);
    Set<String> unknown = new TreeSet<>(documented);
    unknown.removeAll(declared);
    assertEquals(Set.of(), undocumented, "options of `smartupdate --help` missing from README.md's options table");
    assertEquals(Set.of(), unknown, "README.md's options table names options the command does not have");
  }

  private static List<Path> docs() throws IOException {
    List<Path> docs = new ArrayList<>();
    for (Path dir : List.of(ROOT, ROOT.resolve("docs"))) {
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
      }
    }
    return docs;
  }

  /** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as '-', repeats numbered. */
  private static Set<String> anchors(Path file) throws IOException {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    Matcher heading = HEADING.matcher(FENCE.matcher(Files.readString(file)).replaceAll(""));
    while (heading.find()) {
      String slug = heading.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
      int n = seen.merge(slug, 1, Integer::sum) - 1;
      anchors.add(n == 0 ? slug : slug + "-" + n);
    }
    return anchors;
  }
}
