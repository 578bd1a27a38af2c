/**
 * {@code smartupdate deploy}: a small Redfish client that treats a BMC as untrusted input (sessions,
 * busy answers, origins, bounded bodies), one plain sequence of steps per BMC
 * ({@link io.smartupdate.redfish.BmcDeployment}: login, discover, plan, start, follow, settle, verify)
 * behind {@link io.smartupdate.redfish.Deployer} (parallelism, canaries, failure limit, stop), the
 * proof that a BMC really fetched its image ({@link io.smartupdate.redfish.FetchProof}, from the
 * server's own record of downloads over its HTTP API, {@link io.smartupdate.redfish.ServerApi}) and
 * one pure {@link io.smartupdate.redfish.Verdict} that weighs it all.
 *
 * <p>Talks to the smartupdate server only over HTTP, as any client would, so the same code drives a
 * running server and one started in-process. Uses {@code core}, {@code baseline} (the inventory it
 * reads, the findings it reports) and {@code tls} (PEM trust for BMC certificates); {@code cli} uses it.
 */
package io.smartupdate.redfish;
