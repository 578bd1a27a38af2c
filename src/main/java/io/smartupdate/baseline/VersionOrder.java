package io.smartupdate.baseline;

/** How an installed version stands against another: older, equal, newer, or not comparable. */
public enum VersionOrder {
  OLDER, EQUAL, NEWER, UNKNOWN
}
