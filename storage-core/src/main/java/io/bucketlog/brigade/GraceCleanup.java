package io.bucketlog.brigade;

import io.bucketlog.internal.format.IndexEntry;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Deletes a commit's inputs once its grace period has passed, and the commit itself once its
 * merged bucket is gone too.
 *
 * <p>Readers switch at the commit, but a query that opened an input before it may still be
 * reading it; the grace period (longer than any read) is what lets it finish. It runs from the
 * time recorded beside the commit ({@link Commits}). Only the inputs of a commit in effect are
 * deleted ({@link WorkPlan#inEffect}): its merged bucket is sealed, or was merged further by
 * another commit of the window. A void commit (its merged bucket deleted as abandoned before it
 * landed) is deleted after the grace period and its inputs stay.
 *
 * <p>Also swept here: expired claims, abandoned merged buckets no commit names, and the index
 * buckets of writers that have no data bucket left in the window.
 *
 * <p>A commit stays while its merged bucket exists: it is how brigades (and readers) know that
 * bucket is a merged one. When a later commit's cleanup deletes that merged bucket as one of its
 * inputs, it first deletes the earlier commit (its time, then the commit), and does so only once
 * the earlier commit's own inputs are gone. A crash in between leaves a commit whose merged
 * bucket is still there or whose inputs are partly gone, which the next cleanup finishes; a
 * commit without a time gets a new one and waits another grace period.
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

    private static Map<IndexEntry.BucketRef, ListedBucket> byRef(WindowListing w) {
        Map<IndexEntry.BucketRef, ListedBucket> out = new HashMap<>();
        for (ListedBucket b : w.buckets()) {
            out.put(b.ref(), b);
        }
        return out;
    }

    /** The commit of a directory that made this bucket, or null. */
    private static String commitOf(WindowListing w, IndexEntry.BucketRef merged) {
        for (Map.Entry<String, IndexEntry.Superseded> c : w.commits().entrySet()) {
            if (c.getValue().replacement().equals(merged)) {
                return c.getKey();
            }
        }
        return null;
    }

    private static boolean anyListed(List<IndexEntry.BucketRef> refs, Homes homes)
            throws IOException {
        for (IndexEntry.BucketRef r : refs) {
            if (byRef(homes.of(r)).containsKey(r)) {
                return true;
            }
        }
        return false;
    }

    private void deleteCommit(String prefix, String hex) throws IOException {
        view.first().delete(Commits.timeName(prefix, hex));
        view.first().delete(Commits.commitName(prefix, hex));
    }

    /**
     * Deletes merged buckets that no commit names and that did not change for the abandon age:
     * left by a brigade that lost its race or died before committing. Readers never read them.
     * A brigade only slow to commit loses its merge: its commit then names a bucket that is gone
     * and is void ({@link WorkPlan#inEffect}), and its inputs stay.
     */
    private void deleteAbandonedMerges(WindowListing w, String prefix, long nowMillis)
            throws IOException {
        Set<IndexEntry.BucketRef> named = new HashSet<>();
        for (IndexEntry.Superseded c : w.commits().values()) {
            named.add(c.replacement());
        }
        for (ListedBucket b : w.uncommitted()) {
            if (!named.contains(b.ref()) && b.lastModifiedMillis() + abandonAfter.toMillis() <= nowMillis) {
                view.volumes().get(b.volume()).delete(prefix + b.fileName());
            }
        }
    }

    /** Where a commit's input may be listed: its own window, or (for a roll-up) any directory. */
    @FunctionalInterface
    interface Homes {
        WindowListing of(IndexEntry.BucketRef input) throws IOException;
    }

    /** Cleans up a window whose commits name only its own buckets. */
    Done clean(WindowListing w, long nowMillis) throws IOException {
        return clean(w, nowMillis, input -> w);
    }

    /**
     * Cleans up a directory whose commits may name buckets of other directories (the roll-up
     * area): {@code homes} gives the listing of the directory an input is in.
     */
    Done clean(WindowListing w, long nowMillis, Homes homes) throws IOException {
        String prefix = EngineView.windowPrefix(w.stream(), w.indexWindowStart());
        Map<IndexEntry.BucketRef, ListedBucket> byRef = byRef(w);
        Set<String> deletedCommits = new HashSet<>();
        int done = 0;
        int deleted = 0;
        long bytes = 0;
        for (Map.Entry<String, IndexEntry.Superseded> c : w.commits().entrySet()) {
            String hex = c.getKey();
            if (deletedCommits.contains(prefix + hex)) {
                continue;
            }
            ListedBucket merged = byRef.get(c.getValue().replacement());
            if (merged != null && !merged.sealed()) {
                continue;
            }
            if (!WorkPlan.inEffect(w, c.getValue())) {
                // Void: its merged bucket was deleted as abandoned before it landed. It hides
                // nothing (readers read its inputs) and readers report it until it is gone.
                deleteCommit(prefix, hex);
                deletedCommits.add(prefix + hex);
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
                WindowListing home = homes.of(r);
                ListedBucket in = byRef(home).get(r);
                if (in == null) {
                    continue;
                }
                String homePrefix = EngineView.windowPrefix(w.stream(), home.indexWindowStart());
                String earlier = commitOf(home, r);
                if (earlier != null && !deletedCommits.contains(homePrefix + earlier)) {
                    // A merged bucket merged further: its own commit goes first (a commit whose
                    // merged bucket is gone would be reported by readers), and only once that
                    // commit's inputs are gone (else they would be read again beside this merge).
                    if (anyListed(home.commits().get(earlier).replaced(), homes)) {
                        continue;
                    }
                    deleteCommit(homePrefix, earlier);
                    deletedCommits.add(homePrefix + earlier);
                }
                if (view.volumes().get(in.volume()).delete(in.objectName(w.stream()))) {
                    deleted++;
                    bytes += in.bytes();
                }
            }
            if (merged == null) {
                deleteCommit(prefix, hex); // left by a cleanup that stopped half-way
                deletedCommits.add(prefix + hex);
            }
            if (deleted > before || merged == null) {
                done++;
            }
        }
        claims.deleteExpired(prefix, w.objects());
        deleteAbandonedMerges(w, prefix, nowMillis);
        deleteIdleIndexes(w, prefix, nowMillis);
        return new Done(done, deleted, bytes);
    }
}
