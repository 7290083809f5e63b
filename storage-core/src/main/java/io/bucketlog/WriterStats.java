package io.bucketlog;

/**
 * A snapshot of a writer's counters since it started. Every call of {@code append} is in exactly
 * one outcome once the writer has handled it:
 * {@code appended = written + dropped() + rejected() + failed() + inFlight()}.
 *
 * @param appended calls of {@code append}, whatever became of the event
 * @param written events handed to the operating system (including truncated ones)
 * @param droppedRingFull dropped because the ring was full (policy {@code drop} or {@code drop-below}),
 *     or because an object store's local spool was full when their block was appended (the
 *     spool is the ring's counterpart in front of the network: counted the same way)
 * @param droppedClosed appended to a closed writer, or still in the ring when it closed
 * @param rejectedTooLarge refused because even cut down they would not fit {@code maxEventBytes}
 * @param rejectedInvalid refused because they had no timestamp, one before the epoch, or the
 *     caller's filler threw
 * @param rejectedClockSkew refused because they were stamped too far in the future
 * @param rejectedUnknownStream refused because their stream does not exist
 * @param failedWrite lost to a write error (for example a full disk)
 * @param failedError lost to an unexpected error on the writer thread (for example an
 *     {@link OutOfMemoryError}), which is reported
 * @param truncated written events that were cut to fit the limits (see {@link LogAttributes#TRUNCATED})
 * @param sanitised written events whose key or attribute names were escaped or cut, or whose
 *     attribute values or text body had unpaired surrogates escaped
 * @param bytesWritten bytes handed to the operating system, data and index
 * @param bucketsOpened data buckets created
 * @param bucketsSealed data buckets sealed
 */
public record WriterStats(
        long appended,
        long written,
        long droppedRingFull,
        long droppedClosed,
        long rejectedTooLarge,
        long rejectedInvalid,
        long rejectedClockSkew,
        long rejectedUnknownStream,
        long failedWrite,
        long failedError,
        long truncated,
        long sanitised,
        long bytesWritten,
        long bucketsOpened,
        long bucketsSealed) {

    /** All zero: a writer that has not started. */
    public static final WriterStats EMPTY = new WriterStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Events dropped: ring (or object-store spool) full, or writer closed. */
    public long dropped() {
        return droppedRingFull + droppedClosed;
    }

    /** Events the writer thread refused. */
    public long rejected() {
        return rejectedTooLarge + rejectedInvalid + rejectedClockSkew + rejectedUnknownStream;
    }

    /** Events accepted but lost while writing. */
    public long failed() {
        return failedWrite + failedError;
    }

    /** Every event appended and not stored: {@code dropped() + rejected() + failed()}. */
    public long lost() {
        return dropped() + rejected() + failed();
    }

    /** Events appended whose outcome is not known yet (in the ring or in a pending block). */
    public long inFlight() {
        return appended - written - lost();
    }

    /** The counts of this snapshot minus those of an earlier one. */
    public WriterStats minus(WriterStats earlier) {
        return new WriterStats(appended - earlier.appended, written - earlier.written,
                droppedRingFull - earlier.droppedRingFull, droppedClosed - earlier.droppedClosed,
                rejectedTooLarge - earlier.rejectedTooLarge, rejectedInvalid - earlier.rejectedInvalid,
                rejectedClockSkew - earlier.rejectedClockSkew,
                rejectedUnknownStream - earlier.rejectedUnknownStream,
                failedWrite - earlier.failedWrite, failedError - earlier.failedError,
                truncated - earlier.truncated, sanitised - earlier.sanitised,
                bytesWritten - earlier.bytesWritten, bucketsOpened - earlier.bucketsOpened,
                bucketsSealed - earlier.bucketsSealed);
    }

    /**
     * The losses by reason, for a person: {@code "ring full 12, writer closed 1"}; only the
     * reasons that occurred, or {@code "none"}.
     */
    public String lossesByReason() {
        StringBuilder b = new StringBuilder();
        reason(b, "ring full", droppedRingFull);
        reason(b, "writer closed", droppedClosed);
        reason(b, "too large", rejectedTooLarge);
        reason(b, "invalid", rejectedInvalid);
        reason(b, "clock skew", rejectedClockSkew);
        reason(b, "unknown stream", rejectedUnknownStream);
        reason(b, "write error", failedWrite);
        reason(b, "internal error", failedError);
        return b.length() == 0 ? "none" : b.toString();
    }

    private static void reason(StringBuilder b, String name, long n) {
        if (n != 0) {
            b.append(b.length() == 0 ? "" : ", ").append(name).append(' ').append(n);
        }
    }
}
