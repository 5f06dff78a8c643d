/**
 * The node's metrics ({@code GET /metrics}, the Prometheus text format through Micrometer; docs/operations.md,
 * "Metrics"). {@link io.meridian.node.metrics.NodeMeters} is what the engine thread and the gateways write: plain
 * counters with ordered stores, adders and single-writer HdrHistogram recorders, nothing that allocates, locks or
 * waits on the engine thread. {@link io.meridian.node.metrics.NodeMetrics} reads them, with the other sources
 * (connections, subscriptions, rate limits), only when scraped, on the scraping connection's I/O thread.
 */
package io.meridian.node.metrics;
