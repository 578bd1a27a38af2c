package io.smartupdate.imports;

import java.nio.file.Path;
import java.util.List;

/**
 * What an import did: the manifest written, entries added and replaced, catalog entries skipped
 * because their file is not in the repository (with the first few named) or because they are not
 * firmware (drivers, applications).
 */
public record ImportResult(Path manifest, int added, int replaced, int absent, List<String> absentExamples, int notFirmware) {
  public ImportResult {
    absentExamples = List.copyOf(absentExamples);
  }
}
