/**
 * Port hand-off: sessions on dedicated high ports, the gate that checks their tokens, idle and
 * maximum-life reclaim, and the hand-off routes. Binds ports through a
 * {@link io.smartupdate.handoff.HandoffManager.Binder} the server gives it, so it knows no listener
 * code. Uses {@code core}, {@code http} and {@code auth}.
 */
package io.smartupdate.handoff;
