package io.smartupdate.baseline;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How a component finds its inventory member, strongest first: {@code softwareId}, then HPE target
 * GUIDs (with {@code deviceClass}) or Dell {@code dellComponentId}, then PCI ids, then
 * {@code nameRegex}. {@code models} and {@code systemIds} constrain which systems it fits.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Match(String softwareId, List<String> hpeTargets, String deviceClass, String dellComponentId,
    Pci pci, List<String> models, List<String> systemIds, String nameRegex) {
  public static final Match NONE = new Match(null, List.of(), null, null, null, List.of(), List.of(), null);

  public Match {
    hpeTargets = hpeTargets == null ? List.of() : List.copyOf(hpeTargets);
    models = models == null ? List.of() : List.copyOf(models);
    systemIds = systemIds == null ? List.of() : List.copyOf(systemIds);
  }
}
