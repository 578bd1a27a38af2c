/**
 * {@code smartupdate deploy}: a small Redfish client (sessions, discovery, SimpleUpdate or push,
 * task following, BMC resets), one state machine per BMC ({@link io.smartupdate.redfish.BmcDeployment}
 * behind {@link io.smartupdate.redfish.Deployer}) and the proof that a BMC really fetched its image,
 * read from the server's own record of downloads over its HTTP API ({@link io.smartupdate.redfish.ServerApi}).
 *
 * <p>Talks to the smartupdate server only over HTTP, as any client would, so the same code drives a
 * running server and one started in-process. Uses {@code core}, {@code baseline} (the inventory it
 * reads, the findings it reports) and {@code tls} (PEM trust for BMC certificates); {@code cli} uses it.
 */
package io.smartupdate.redfish;
