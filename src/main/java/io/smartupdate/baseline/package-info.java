/**
 * Baselines: what each firmware image is (the repository manifest), how vendor versions compare,
 * and what each node needs (the action per node and component). Pure model and logic over
 * {@code core}: the manifest's JSON is read and written here ({@link io.smartupdate.baseline.ManifestReader},
 * {@link io.smartupdate.baseline.ManifestWriter}) from bytes; finding manifest files on disk, Redfish
 * inventories and storage live with their features and hand this package plain values.
 */
package io.smartupdate.baseline;
