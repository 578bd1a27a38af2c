package io.smartupdate.firewall;

/** Real {@code nft -j list ruleset} output (nft 1.0.6), recorded in network namespaces set up like the hosts we meet. */
final class NftSamples {
  private NftSamples() {}

  /**
   * A hand-written nftables firewall: inet filter input (policy drop) with a foreign rule, one of
   * ours from a crashed run (pid 999999999, gone) and one of a live run; a second table with its own
   * input drop; a plain chain and a nat chain that filter nothing.
   */
  static final String NATIVE = """
      {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}},
      {"table": {"family": "inet", "name": "filter", "handle": 1}},
      {"chain": {"family": "inet", "table": "filter", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}},
      {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 7, "comment": "smartupdate:63001:999999999",
        "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 63001}}, {"accept": null}]}},
      {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 8, "comment": "smartupdate:other:LIVE",
        "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 64001}}, {"accept": null}]}},
      {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 5, "comment": "smartupdate:x:12",
        "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"range": [63010, 63099]}}}, {"accept": null}]}},
      {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 2,
        "expr": [{"match": {"op": "==", "left": {"meta": {"key": "iif"}}, "right": "lo"}}, {"accept": null}]}},
      {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 3,
        "expr": [{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}}, {"accept": null}]}},
      {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 4, "comment": "admin ssh",
        "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 22}}, {"accept": null}]}},
      {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 6, "comment": "smartupdate:manual",
        "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 63002}}, {"accept": null}]}},
      {"table": {"family": "ip", "name": "extra", "handle": 2}},
      {"chain": {"family": "ip", "table": "extra", "name": "in", "handle": 1, "type": "filter", "hook": "input", "prio": 10, "policy": "drop"}},
      {"chain": {"family": "ip", "table": "extra", "name": "other", "handle": 2}},
      {"table": {"family": "inet", "name": "nat", "handle": 3}},
      {"chain": {"family": "inet", "table": "nat", "name": "pre", "handle": 1, "type": "nat", "hook": "prerouting", "prio": -100, "policy": "accept"}},
      {"chain": {"family": "inet", "table": "nat", "name": "in", "handle": 2, "type": "nat", "hook": "input", "prio": 100, "policy": "accept"}}]}
      """;

  /** After {@code iptables -P INPUT DROP; iptables -A INPUT -i lo -j ACCEPT} with iptables-nft: its comments are xt matches nft cannot show. */
  static final String IPTABLES_NFT = """
      {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}},
      {"table": {"family": "ip", "name": "filter", "handle": 1}},
      {"chain": {"family": "ip", "table": "filter", "name": "INPUT", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}},
      {"rule": {"family": "ip", "table": "filter", "chain": "INPUT", "handle": 3, "expr": [{"match": {"op": "==", "left":
        {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 5000}}, {"xt": {"type": "match", "name": "comment"}},
        {"counter": {"packets": 0, "bytes": 0}}, {"accept": null}]}},
      {"rule": {"family": "ip", "table": "filter", "chain": "INPUT", "handle": 2, "expr": [{"match": {"op": "==", "left":
        {"meta": {"key": "iifname"}}, "right": "lo"}}, {"counter": {"packets": 0, "bytes": 0}}, {"accept": null}]}},
      {"table": {"family": "ip6", "name": "filter", "handle": 2}},
      {"chain": {"family": "ip6", "table": "filter", "name": "INPUT", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}}]}
      """;

  /** A host with no firewall at all. */
  static final String EMPTY = """
      {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}]}
      """;

  static String withLivePid(String json, long pid) {
    return json.replace("LIVE", Long.toString(pid));
  }
}
