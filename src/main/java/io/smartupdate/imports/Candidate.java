package io.smartupdate.imports;

import io.smartupdate.baseline.ApplyTime;
import io.smartupdate.baseline.ComponentClass;
import io.smartupdate.baseline.Match;
import io.smartupdate.baseline.Reboot;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A component as a vendor catalog describes it, before its file is found and hashed: {@code file}
 * is where the catalog says the file is, {@code md5} the digest the catalog gives (null when it
 * gives none), {@code source} the catalog named in every message.
 */
record Candidate(String source, String id, String name, String vendor, ComponentClass componentClass, Path file, String version,
    String versionScheme, Match match, String minimumActiveVersion, ApplyTime applyTime, Reboot reboot, String criticality,
    LocalDate releaseDate, String md5) {
  Candidate {
    Objects.requireNonNull(source, "source == null");
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(file, "file == null");
    Objects.requireNonNull(version, "version == null");
  }
}
