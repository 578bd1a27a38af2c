package io.smartupdate.baseline;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One manifest entry: an image in the repository, what it is, what it fits and the rules for
 * applying it. {@code file} is relative to the repository root; {@code sha256} is lower-case hex.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Component(String id, String name, String vendor, ComponentClass componentClass, String file,
    String sha256, long size, String version, String versionScheme, Match match, String minimumActiveVersion,
    List<String> requires, int order, ApplyTime applyTime, Reboot reboot, String criticality, LocalDate releaseDate) {
  public Component {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(file, "file == null");
    Objects.requireNonNull(version, "version == null");
    Objects.requireNonNull(componentClass, "componentClass == null");
    if (size < 0) throw new IllegalArgumentException("size < 0: " + size);
    name = name == null ? id : name;
    versionScheme = versionScheme == null ? "dotted" : versionScheme;
    match = match == null ? Match.NONE : match;
    requires = requires == null ? List.of() : List.copyOf(requires);
    applyTime = applyTime == null ? ApplyTime.Immediate : applyTime;
    reboot = reboot == null ? Reboot.NONE : reboot;
  }
}
