package io.bucketlog.reader;

import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StoreObject;
import io.bucketlog.internal.store.StreamHistory;

/**
 * One data bucket a tail follows: how far it is read, how far the consumer has received its
 * events, and what a cursor or a start from now left of it to check or to record. Not
 * thread-safe: its tail's.
 */
final class FollowedBucket {
    final StoreObject object;
    final String path;
    final StoreLayout.BucketName name;
    long readEnd;        // next frame offset to read; 0 = header not read yet
    long seenSize = -1;  // file size at the last complete read
    boolean done;        // sealed and read up to its footer, or misplaced (never read)
    boolean misplaced;   // a copy of another place's bucket: no part of the tail's position
    long changedAt;      // wall clock when its size was last seen to change
    int queued;          // events handed to the queue and not yet taken
    long deliveredOffset;
    int deliveredSkip;
    long skipAt = -1;    // on resume: records of the block at this offset already delivered
    int skipCount;
    long cursorOffset = -1; // on resume: the offset a cursor named, until a read checked it
    // Events before this offset (and that block's first unrecordedSkip records) were delivered
    // or stored before the tail started, and are not in the delivered set; 0: none.
    long unrecordedEnd;
    int unrecordedSkip;
    long scopeFloor = -1; // a merged bucket: the floor when it was first followed

    FollowedBucket(StoreObject object, StoreLayout.BucketName name, long now) {
        this.object = object;
        this.path = object.location();
        this.name = name;
        this.changedAt = now;
    }

    /**
     * With none of its events queued, everything read was delivered or not wanted: the delivered
     * position moves to the read end.
     */
    void deliveredWhenNoneQueued() {
        if (queued == 0) {
            deliveredOffset = readEnd;
            deliveredSkip = 0;
        }
    }

    long windowEnd(StreamHistory history) {
        return name.windowEnd(history.widestBucketWidthNanos(), history.indexWindowNanos());
    }
}
