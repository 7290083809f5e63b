package io.bucketlog.brigade;

import io.bucketlog.internal.format.IndexEntry;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Deletes a commit's inputs once its grace period has passed, and the commit itself once its
 * merged bucket is gone too.
 *
 * <p>Readers switch at the commit, but a query that opened an input before it may still be
 * reading it; the grace period (longer than any read) is what lets it finish. It runs from the
 * time recorded beside the commit ({@link Commits}). A commit whose merged bucket is listed but not
 * sealed hides nothing from readers, and its inputs are never deleted. One whose merged bucket is
 * gone had it merged further and deleted by a later commit's cleanup (the only way a merged
 * bucket disappears, since it is written before its commit), so its inputs' events are in that
 * later merged bucket.
 *
 * <p>Also swept here: expired claims and the index buckets of writers that have no data bucket
 * left in the window.
 *
 * <p>A commit stays while its merged bucket exists: it is how brigades know that bucket is a
 * merged one (already key-sorted, not to be merged again on its own). Order: the inputs, then,
 * once the merged bucket is gone too, the commit time and the commit. A crash in between leaves
 * a commit whose inputs are partly gone, which the next cleanup finishes; a commit without a
 * time gets a new one and waits another grace period.
 */
final class GraceCleanup {
    private final EngineView view;
    private final Commits commits;
    private final Claims claims;
    private final Duration grace;
    private final Duration abandonAfter;

    GraceCleanup(EngineView view, Commits commits, Claims claims, Duration grace,
                 Duration abandonAfter) {
        this.view = view;
        this.commits = commits;
        this.claims = claims;
        this.grace = grace;
        this.abandonAfter = abandonAfter;
    }

    /** Result of one window's cleanup: commits finished and data buckets deleted. */
    record Done(int commits, int buckets, long bytes) {
    }

    /**
     * Deletes the index buckets of writers (brigade runs included) that have no data bucket left
     * in the window and have not changed for the abandon age: what merges leave behind. A writer
     * that comes back to the window later creates its index bucket again.
     */
    private void deleteIdleIndexes(WindowListing w, String prefix, long nowMillis) throws IOException {
        Set<String> withBuckets = new HashSet<>();
        for (ListedBucket b : w.buckets()) {
            withBuckets.add(b.name().writerId());
        }
        for (Map.Entry<String, Long> idx : w.indexModified().entrySet()) {
            if (!withBuckets.contains(idx.getKey())
                    && idx.getValue() + abandonAfter.toMillis() <= nowMillis) {
                view.first().delete(BrigadeIndex.name(prefix, idx.getKey()));
            }
        }
    }

    Done clean(WindowListing w, long nowMillis) throws IOException {
        String prefix = EngineView.windowPrefix(w.stream(), w.indexWindowStart());
        Map<IndexEntry.BucketRef, ListedBucket> byRef = new HashMap<>();
        for (ListedBucket b : w.buckets()) {
            byRef.put(b.ref(), b);
        }
        int done = 0;
        int deleted = 0;
        long bytes = 0;
        for (Map.Entry<String, IndexEntry.Superseded> c : w.commits().entrySet()) {
            String hex = c.getKey();
            ListedBucket merged = byRef.get(c.getValue().replacement());
            if (merged != null && !merged.sealed()) {
                continue;
            }
            OptionalLong at = commits.time(prefix, hex);
            if (at.isEmpty()) {
                commits.markTime(prefix, hex);
                continue;
            }
            if (at.getAsLong() + grace.toMillis() > nowMillis) {
                continue;
            }
            int before = deleted;
            for (IndexEntry.BucketRef r : c.getValue().replaced()) {
                ListedBucket in = byRef.get(r);
                if (in != null && view.volumes().get(in.volume()).delete(prefix + in.fileName())) {
                    deleted++;
                    bytes += in.bytes();
                }
            }
            if (merged == null) {
                view.first().delete(Commits.timeName(prefix, hex));
                view.first().delete(Commits.commitName(prefix, hex));
            }
            if (deleted > before || merged == null) {
                done++;
            }
        }
        claims.deleteExpired(prefix, w.objects());
        deleteIdleIndexes(w, prefix, nowMillis);
        return new Done(done, deleted, bytes);
    }
}
