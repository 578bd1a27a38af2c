package io.smartupdate.baseline;

import com.fasterxml.jackson.annotation.JsonInclude;

/** PCI ids as lower-case hex without {@code 0x}; a null part matches any value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Pci(String vendor, String device, String subvendor, String subdevice) {}
