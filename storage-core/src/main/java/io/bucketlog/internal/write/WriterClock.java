package io.bucketlog.internal.write;

/**
 * The two clocks the bucket writer reads. The wall clock says what time it is in event time: it
 * decides whether an event is too far in the future and whether a bucket's window has ended. The
 * monotonic clock measures every interval (fsync interval, block linger, idle time before a seal,
 * maintenance ticks), because the wall clock can step back or forward (NTP, a person, a VM
 * resumed), and an interval measured on it can then stay negative for hours or fire in a burst.
 */
interface WriterClock {
    /** The system clocks: {@link System#currentTimeMillis()} and {@link System#nanoTime()}. */
    WriterClock SYSTEM = new WriterClock() {
        @Override
        public long wallMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public long monotonicNanos() {
            return System.nanoTime();
        }
    };

    /** Milliseconds since the epoch; may jump in either direction. */
    long wallMillis();

    /** Nanoseconds from an arbitrary origin; only differences mean anything, and never negative. */
    long monotonicNanos();
}
