/**
 * The host firewall: opening the ports in use for a run (firewalld, nftables or iptables) with
 * tagged rules, removing stale ones, rendering rules for operators, and SUM's documented port
 * table by target type. Uses {@code core} only.
 */
package io.smartupdate.firewall;
