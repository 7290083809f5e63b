package io.bucketlog.reader;

import io.bucketlog.Event;

/** Receives a tail's events on the tail's own thread, one at a time. */
@FunctionalInterface
public interface TailListener {

    /** Called for each event, in the order described on {@link Tail}. Should not block long. */
    void onEvent(Event event);

    /**
     * Called once if {@link #onEvent} throws or the tail fails; the tail then stops. The default
     * does nothing: the failure stays available from {@link TailSubscription#failure()}.
     */
    default void onError(RuntimeException failure) {
    }
}
