/**
 * Compliance: each node's stored inventory analysed against the repository's baselines. Takes a
 * node's inventory ({@code PUT /api/nodes/{node}/inventory}, as {@code smartupdate analyze} sends
 * it), answers {@code GET /api/nodes/{node}/inventory} and {@code GET /api/compliance}, and counts
 * the rows for the {@code smartupdate_components} gauge. Uses {@code baseline} for the logic and
 * {@code status} for storage; {@code server} wires it.
 */
package io.smartupdate.compliance;
