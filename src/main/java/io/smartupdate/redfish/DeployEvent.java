package io.smartupdate.redfish;

import io.smartupdate.core.Phase;


/**
 * One step of one BMC's deployment, for the terminal, {@code --json} and the status store.
 *
 * @param phase the status phase
 * @param progress 0-100, or null when unknown
 * @param sent bytes the server sent on the BMC's URL, or null before any fetch
 * @param size the image's size, or null
 */
public record DeployEvent(String bmc, String node, Phase phase, Integer progress, Long sent, Long size, String message) {}
