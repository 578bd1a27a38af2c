package io.smartupdate.http;

/** A feature that owns its routes; the server collects features into one route table. */
public interface HttpFeature {
  void routing(Routes routes);
}
