package io.meridian.journal;

/** When {@link JournalWriter#commit()} returns, how safe is what it wrote. */
public enum Durability {
    /**
     * The default. Appends accumulate in memory; {@code commit()} writes the batch and forces it to stable storage
     * ({@code fdatasync}) once, so one disk flush covers every command of the batch. When {@code commit()} returns,
     * the batch survives a process crash and a power loss; replies for its commands may be sent only then.
     */
    GROUP_COMMIT,
    /**
     * {@code commit()} hands the batch to the operating system and never forces it: it survives the process dying but
     * not the machine (a finished segment is forced when the next one starts, and {@link JournalWriter#force()}
     * forces on demand). For benchmarks and throw-away runs, and for a journal that copies a log kept durably
     * elsewhere (a cluster's gateway: what a power loss cuts off is fetched again from the cluster); never acknowledge
     * client commands under it on the strength of this journal alone.
     */
    NONE
}
