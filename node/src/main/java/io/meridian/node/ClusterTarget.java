package io.meridian.node;

import io.meridian.cluster.ClusterNode;

import java.util.List;

/**
 * The cluster a gateway node sends its commands to instead of keeping a journal (docs/cluster.md, "Gateways"): the
 * members' hosts in member-id order and their port base, as the members were started with, and this gateway's client
 * id (unique among the cluster's clients: two gateways with one id would be taken for one client resending).
 */
public record ClusterTarget(List<String> hosts, int portBase, long clientId) {
    public ClusterTarget {
        hosts = List.copyOf(hosts);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one member");
        }
        if (portBase < 1024 || portBase + hosts.size() * ClusterNode.PORTS_PER_NODE > 65_535) {
            throw new IllegalArgumentException("port base " + portBase + " leaves no room for " + hosts.size()
                    + " members");
        }
        if (clientId == 0) {
            throw new IllegalArgumentException("the client id must not be 0 (the cluster's own commands use it)");
        }
    }

    /** The members' client ingress endpoints ({@code 0=host:port,...}). */
    public String ingressEndpoints() {
        return ClusterNode.ingressEndpoints(hosts, portBase);
    }
}
