/**
 * The HTTP transport under every feature: {@link io.smartupdate.transport.HttpEngine} (one XNIO
 * worker and TLS context shared by every listener, hand-off ports included), the plain-HTTP-on-HTTPS
 * sniffer, the connection caps ({@link io.smartupdate.transport.Limits}) and the access log. It
 * knows sockets, TLS and Undertow, never a feature; {@code server} wires it to the routes.
 */
package io.smartupdate.transport;
