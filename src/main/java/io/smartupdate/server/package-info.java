/**
 * The composition root: {@link io.smartupdate.server.SmartUpdateServer} builds every part with
 * plain constructors, starts them all or none, and stops them through one
 * {@link io.smartupdate.core.Lifecycle}; {@link io.smartupdate.server.ServerConfig} describes a
 * server and {@link io.smartupdate.server.PortsInUse} its ports. The only package that knows every
 * feature; nothing but {@code cli} uses it.
 */
package io.smartupdate.server;
