package io.bucketlog;

/**
 * What a writer holds that is not in the operating system yet, right now.
 *
 * @param ringCapacity slots in the ring
 * @param ringRemaining free slots: when 0, the next {@code append} meets a full ring
 * @param writeLagNanos age of the oldest event not yet handed to the operating system, 0 when
 *     there is none; measured at the writer thread's batch granularity (it reads the clock once
 *     per batch, never per event), so it may be off by the length of one batch
 */
public record WriterBacklog(int ringCapacity, long ringRemaining, long writeLagNanos) {
}
