package io.smartupdate.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** A subcommand whose feature is not built yet: it says so instead of pretending to work. */
@Command(description = "not available yet")
final class NotAvailableCommand {
  @Unmatched List<String> arguments = new ArrayList<>();

  final String feature;

  NotAvailableCommand(String feature) {
    this.feature = feature;
  }
}
