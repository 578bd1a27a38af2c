package io.smartupdate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smartupdate.core.Phase;
import io.smartupdate.redfish.BmcResult;
import io.smartupdate.redfish.DeployEvent;
import io.smartupdate.redfish.DeployListener;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;

/**
 * What deploy shows while it runs: a live line per BMC in a terminal (JLine redraws them in place),
 * one plain line per step when stdout is not a terminal, one JSON object per event with --json,
 * nothing with /s. Thread-safe: events come from every BMC's thread.
 */
abstract class DeployProgress implements DeployListener, AutoCloseable {
  enum Mode { TERMINAL, PLAIN, JSON, QUIET }

  static final ObjectMapper JSON = new ObjectMapper();

  static DeployProgress create(Mode mode, PrintStream out) {
    return switch (mode) {
      case TERMINAL -> LiveLines.open(out);
      case JSON -> new JsonLines(out);
      case QUIET -> new Quiet();
      case PLAIN -> new PlainLines(out);
    };
  }

  /** The end of the run: results and the summary, then the stream is left to the caller. */
  abstract void finish(List<BmcResult> results);

  @Override
  public void close() {}

  /** The summary table: BMC, versions before and after, result, reason. */
  static String table(List<BmcResult> results) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"BMC", "BEFORE", "AFTER", "RESULT", "REASON"});
    for (BmcResult r : results) {
      rows.add(new String[] {r.bmc(), r.before(), r.after(), r.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' '), r.reason()});
    }
    int[] widths = new int[4];
    for (String[] row : rows) for (int i = 0; i < 4; i++) widths[i] = Math.max(widths[i], row[i].length());
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < 4; i++) out.append(String.format("%-" + widths[i] + "s  ", row[i]));
      out.append(row[4]).append(System.lineSeparator());
    }
    long ok = results.stream().filter(r -> r.outcome().ok()).count();
    out.append(ok).append(" of ").append(results.size()).append(" BMCs finished").append(System.lineSeparator());
    return out.toString();
  }

  static String bytes(long n) {
    if (n < 1024) return n + " B";
    if (n < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    return String.format(Locale.ROOT, "%.1f MiB", n / 1048576.0);
  }

  /** One line per step; byte progress every tenth; repeats of the same state dropped. */
  static final class PlainLines extends DeployProgress {
    private final PrintStream out;
    private final Map<String, String> last = new ConcurrentHashMap<>();

    PlainLines(PrintStream out) {
      this.out = out;
    }

    @Override
    public void event(DeployEvent e) {
      String line = e.bmc() + "  " + e.phase() + (e.progress() == null ? "" : " " + (e.phase() == Phase.DOWNLOADING ? e.progress() / 10 * 10 : e.progress()) + "%")
          + (e.message() == null ? "" : "  " + e.message());
      if (e.message() == null && e.sent() != null && e.phase() == Phase.DOWNLOADING) line += "  " + bytes(e.sent());
      String key = e.bmc() + "|" + e.phase() + "|" + (e.progress() == null ? "" : e.phase() == Phase.DOWNLOADING ? e.progress() / 10 : e.progress()) + "|" + e.message();
      if (key.equals(last.put(e.bmc(), key))) return;
      synchronized (out) {
        out.println(line);
        out.flush();
      }
    }

    @Override
    void finish(List<BmcResult> results) {
      out.print(table(results));
      out.flush();
    }
  }

  /** --json: one object a line, events then results. */
  static final class JsonLines extends DeployProgress {
    private final PrintStream out;

    JsonLines(PrintStream out) {
      this.out = out;
    }

    @Override
    public void event(DeployEvent e) {
      ObjectNode node = JSON.valueToTree(e);
      node.put("type", "event");
      print(node);
    }

    @Override
    void finish(List<BmcResult> results) {
      for (BmcResult r : results) {
        ObjectNode node = JSON.valueToTree(r);
        node.put("type", "result");
        print(node);
      }
    }

    private void print(ObjectNode node) {
      synchronized (out) {
        out.println(node.toString());
        out.flush();
      }
    }
  }

  /** /s: nothing while it runs; the failures at the end (on stdout, as the summary would be). */
  static final class Quiet extends DeployProgress {
    @Override
    public void event(DeployEvent e) {}

    @Override
    void finish(List<BmcResult> results) {}
  }

  /** A terminal: JLine's Display redraws one line per BMC in place, at most four times a second. */
  static final class LiveLines extends DeployProgress {
    private final Terminal terminal;
    private final Display display;
    private final PrintStream out;
    private final Map<String, LiveLine> lines = new ConcurrentSkipListMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "deploy-progress");
      thread.setDaemon(true);
      return thread;
    });

    private LiveLines(Terminal terminal, PrintStream out) {
      this.terminal = terminal;
      this.out = out;
      this.display = new Display(terminal, false);
      ticker.scheduleWithFixedDelay(this::redraw, 250, 250, TimeUnit.MILLISECONDS);
    }

    static DeployProgress open(PrintStream out) {
      try {
        Terminal terminal = TerminalBuilder.builder().system(true).dumb(false).build();
        return new LiveLines(terminal, out);
      } catch (IOException | RuntimeException e) {
        return new PlainLines(out); // no usable terminal after all
      }
    }

    @Override
    public void event(DeployEvent e) {
      lines.computeIfAbsent(e.bmc(), LiveLine::new).update(e);
    }

    private synchronized void redraw() {
      Size size = terminal.getSize();
      int width = Math.max(40, size.getColumns());
      int height = Math.max(3, size.getRows() - 1);
      display.resize(Size.of(width, height));
      List<AttributedString> shown = new ArrayList<>();
      List<LiveLine> all = new ArrayList<>(lines.values());
      long done = all.stream().filter(LiveLine::ended).count();
      // Active BMCs first: with more BMCs than rows, the ones still working are the ones to watch.
      all.sort(Comparator.comparing(LiveLine::ended));
      for (LiveLine line : all) {
        if (shown.size() >= height - 1) break;
        shown.add(new AttributedString(line.render(width)));
      }
      shown.add(new AttributedString(done + " of " + lines.size() + " BMCs at their end"));
      display.update(shown, -1);
      terminal.flush();
    }

    @Override
    void finish(List<BmcResult> results) {
      ticker.shutdownNow();
      redraw();
      out.println();
      out.print(table(results));
      out.flush();
    }

    @Override
    public void close() {
      ticker.shutdownNow();
      try {
        terminal.close();
      } catch (IOException e) {
        // the terminal is going away with the process
      }
    }
  }

  /** One BMC's live line: phase, bar, bytes fetched and rate. */
  static final class LiveLine {
    private final String bmc;
    private volatile Phase phase = Phase.INFO;
    private volatile Integer percent;
    private volatile long sent;
    private volatile long size;
    private volatile double rate;
    private volatile long lastAt = System.nanoTime();
    private volatile String message = "";

    LiveLine(String bmc) {
      this.bmc = bmc;
    }

    synchronized void update(DeployEvent e) {
      phase = e.phase();
      percent = e.progress();
      if (e.sent() != null && e.sent() != sent) {
        long now = System.nanoTime();
        rate = (e.sent() - sent) / Math.max(1e-3, (now - lastAt) / 1e9);
        lastAt = now;
        sent = e.sent();
      }
      if (e.size() != null) size = e.size();
      if (e.message() != null) message = e.message();
    }

    boolean ended() {
      return phase == Phase.COMPLETE || phase == Phase.FAILED;
    }

    String render(int width) {
      boolean downloading = phase == Phase.DOWNLOADING;
      // While downloading, the bytes the server sent say more than a task that reports 0% until it flashes.
      Integer percent = downloading && size > 0 ? Integer.valueOf((int) Math.min(100, sent * 100 / size)) : this.percent;
      int filled = percent == null ? 0 : Math.min(20, percent / 5);
      String bar = "[" + "#".repeat(filled) + " ".repeat(20 - filled) + "]";
      String text = String.format(Locale.ROOT, "%-21s %-11s %s %3s %9s %11s  %s", bmc, phase, bar, percent == null ? "" : percent + "%",
          sent > 0 ? bytes(sent) : "", sent > 0 && downloading ? bytes((long) rate) + "/s" : "", message);
      return text.length() > width ? text.substring(0, width - 1) : text;
    }
  }
}
