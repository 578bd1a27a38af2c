package io.smartupdate.firmware;

import io.smartupdate.http.HttpFeature;
import io.smartupdate.http.Routes;

/** Routes of the firmware feature: image downloads, the catalog and the baselines of its manifest. */
public final class FirmwareFeature implements HttpFeature {
  private static final long CATALOG_WAIT_MILLIS = 20_000;
  private final ImageSource repository;

  public FirmwareFeature(FirmwareRepository repository) {
    this.repository = repository;
  }

  /** Images from object storage behind the local cache. */
  public FirmwareFeature(BucketImages repository) {
    this.repository = repository;
  }

  @Override
  public void routing(Routes routes) {
    FirmwareHandler images = new FirmwareHandler(repository);
    routes.addPrefix("GET", FirmwareHandler.PREFIX, images)
        .addPrefix("HEAD", FirmwareHandler.PREFIX, images)
        .addBlocking("GET", "/api/catalog", new CatalogHandler(repository, CATALOG_WAIT_MILLIS));
    BaselinesHandler baselines = new BaselinesHandler(repository, CATALOG_WAIT_MILLIS);
    routes.addBlocking("GET", BaselinesHandler.PATH, baselines);
    routes.addPrefix("GET", BaselinesHandler.PATH + "/", Routes.blocking(baselines));
  }
}
