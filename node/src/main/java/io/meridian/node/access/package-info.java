/**
 * Who may do what at the gateway, decided before anything reaches the journal: a mirror of the engine's authorisation
 * state for cheap pre-checks ({@link io.meridian.node.access.AuthMirror}), per-key token buckets with bounded memory
 * ({@link io.meridian.node.access.KeyedBuckets}), and read tokens for private data
 * ({@link io.meridian.node.access.ReadTokens}). The engine still decides every command in log order; these only refuse
 * what it would certainly refuse, or what must never cost it anything.
 */
package io.meridian.node.access;
