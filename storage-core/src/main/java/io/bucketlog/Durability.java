package io.bucketlog;

/**
 * When written blocks are forced to stable storage.
 *
 * <p>In every mode a block is handed to the operating system (a {@code write} call) at the end of
 * each ring-buffer batch, so a crash of the <em>process</em> loses only what is still in the ring.
 * The modes differ in what survives a crash of the <em>machine</em> (power loss, kernel panic).
 */
public enum Durability {
    /** No fsync: the OS writes back on its own schedule (typically within 30 s on Linux). */
    OS,
    /** An fsync of every bucket written to, at most every {@link WriterOptions#fsyncInterval()}. */
    INTERVAL,
    /** An fsync at the end of every ring-buffer batch, before {@link Writer#flush} returns. */
    SYNC
}
