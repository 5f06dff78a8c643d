/**
 * The sequencer and the durable command log. {@link io.meridian.journal.Sequencer} stamps each command with the next
 * sequence number and a timestamp, appends it to the {@link io.meridian.journal.JournalWriter} and then applies it to
 * the engine; {@link io.meridian.journal.JournalReader} reads the log back, and replaying it into a fresh engine
 * reproduces the state (same {@code stateHash()}). Formats and recovery rules: docs/journal.md.
 */
package io.meridian.journal;
