/**
 * The snapshot format's building blocks: {@link io.meridian.model.snapshot.SnapshotWriter} and
 * {@link io.meridian.model.snapshot.SnapshotReader} (primitives and sections, bounded reads) and
 * {@link io.meridian.model.snapshot.SpecCodec} (the model's specs). Each component writes and reads its own section;
 * the engine composes them (docs/journal.md, "Snapshots").
 */
package io.meridian.model.snapshot;
