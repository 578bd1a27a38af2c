/**
 * Vendor catalogs into the repository manifest ({@code smartupdate import}): Dell {@code Catalog.xml},
 * HPE {@code .fwpkg} ({@code payload.json}) and HPE SPP {@code fwrepodata/fwrepo.json}. Catalogs and
 * packages are untrusted: no DTD or external entity, no zip entry leaves its package (nothing is
 * extracted), every size bounded. Uses {@code baseline} and {@code core}.
 */
package io.smartupdate.imports;
