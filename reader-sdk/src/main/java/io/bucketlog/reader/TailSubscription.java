package io.bucketlog.reader;

/**
 * A running listener-style tail: a daemon thread feeding a {@link TailListener}. Close it to stop
 * the thread (closing the reader stops it too).
 */
public final class TailSubscription implements AutoCloseable {
    private static final long JOIN_MILLIS = 5_000;

    private final TailIterator events;
    private final Thread thread;
    private volatile RuntimeException failure;

    TailSubscription(TailIterator events, TailListener listener, String name) {
        this.events = events;
        this.thread = new Thread(() -> {
            try {
                while (events.hasNext()) {
                    listener.onEvent(events.next());
                }
            } catch (RuntimeException e) {
                failure = e;
                events.close();
                listener.onError(e);
            }
        }, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * A cursor naming exactly the events handed to the listener (see {@link TailIterator#cursor()}),
     * to resume from later. Only once the subscription is closed, so that it cannot move.
     *
     * @throws IllegalStateException while the tail is running
     */
    public Cursor cursor() {
        if (thread.isAlive()) {
            throw new IllegalStateException("close the subscription before taking its cursor");
        }
        return events.cursor();
    }

    /** Why the tail stopped, if the listener threw; {@code null} otherwise. */
    public RuntimeException failure() {
        return failure;
    }

    /** Whether the tail is still delivering. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Stops the tail and waits for the listener's current call to return. Idempotent. */
    @Override
    public void close() {
        events.close();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
