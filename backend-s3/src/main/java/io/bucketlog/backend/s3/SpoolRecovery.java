package io.bucketlog.backend.s3;

import io.bucketlog.CorruptionReport;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Uploads what dead writers of a location left in this host's spool, on the publisher's thread.
 * A data bucket the store does not have whole, unsealed or sealed only in the spool, gets no more
 * parts: the blocks the store lacks become a bucket of their own ({@link LeftoverBucket}); a
 * sealed one's "sealed" index entry is left out ({@link WithdrawnSeals}); everything else
 * (index buckets, a brigade's merges, objects the engine did not name) is uploaded as a live
 * writer's would be: its parts, or its sealed object whole.
 *
 * <p>The order within a dead writer is what makes a recovery killed and run again harmless: every
 * entry is planned first, against the store, then the index buckets' spools are rewritten
 * without the withdrawn entries, and only then is anything uploaded or removed. A rerun makes the
 * same plans, since nothing but a brigade changes a dead writer's bucket in the store (and what
 * it does is measured as in {@link LeftoverBucket}), and finds each index spool rewritten already
 * or rewrites it to the same bytes.
 */
final class SpoolRecovery {
    private final BucketClient client;
    private final ObjectLayout layout;
    private final S3Options options;
    private final Spool spool;
    private final Publisher publisher;

    SpoolRecovery(BucketClient client, ObjectLayout layout, S3Options options, Spool spool, Publisher publisher) {
        this.client = client;
        this.layout = layout;
        this.options = options;
        this.spool = spool;
        this.publisher = publisher;
    }

    /** An entry and what recovery does with it: {@link LeftoverBucket.NotApplicable} is "as a live writer". */
    private record Planned(SpoolEntry entry, LeftoverBucket.Plan plan) {
    }

    /** Recovers every dead writer's spool that this process can lock now. */
    Publisher.Recovered run() throws IOException {
        int writers = 0;
        int objects = 0;
        int failed = 0;
        long bytesBefore = publisher.bytesUploaded();
        for (Spool.DeadWriter dead : spool.deadWriters()) {
            try (dead) {
                List<Path> records;
                try {
                    records = dead.records();
                } catch (NoSuchFileException gone) {
                    continue; // recovered and removed by another process meanwhile
                }
                int[] done = recover(records);
                objects += done[0];
                failed += done[1];
                if (done[1] == 0) {
                    dead.remove();
                    writers++;
                }
            }
        }
        return new Publisher.Recovered(writers, objects, publisher.bytesUploaded() - bytesBefore, failed);
    }

    /** One dead writer's records: the objects recovered and those that failed (they stay for the next try). */
    private int[] recover(List<Path> records) throws IOException {
        List<SpoolEntry> entries = new ArrayList<>();
        int failed = 0;
        try {
            for (Path record : records) {
                try {
                    SpoolEntry e = SpoolEntry.load(record);
                    if (e != null) { // else its data went with an upload that finished
                        e.markHandleClosed();
                        entries.add(e);
                    }
                } catch (IOException unreadable) {
                    publisher.failed(unreadable);
                    failed++;
                }
            }
            if (failed > 0) {
                // Nothing of this writer goes up: the unreadable record may be a bucket sealed in
                // the spool only, whose "sealed" entry its index spool holds and must not publish.
                // The spool stays for a later run (or an operator) and the failure is reported.
                return new int[] {0, failed + entries.size()};
            }
            List<Planned> plans = new ArrayList<>();
            WithdrawnSeals withdrawn = new WithdrawnSeals();
            try {
                for (SpoolEntry e : entries) {
                    LeftoverBucket.Plan plan = plan(e);
                    if (e.sealed() && !(plan instanceof LeftoverBucket.NotApplicable)) {
                        withdrawn.add(e.name());
                    }
                    plans.add(new Planned(e, plan));
                }
                for (int i = 0; i < plans.size(); i++) {
                    Set<Long> sequences = withdrawn.of(plans.get(i).entry().name());
                    if (!sequences.isEmpty()) {
                        SpoolEntry rewritten = withoutSeals(plans.get(i).entry(), sequences);
                        entries.set(i, rewritten);
                        plans.set(i, new Planned(rewritten, plans.get(i).plan()));
                    }
                }
            } catch (IOException e) {
                // nothing uploaded: without every plan, a "sealed" entry might go out that must not
                publisher.failed(e);
                return new int[] {0, failed + entries.size()};
            }
            int objects = 0;
            for (Planned p : plans) {
                if (apply(p)) {
                    objects++;
                } else {
                    failed++;
                }
            }
            return new int[] {objects, failed};
        } finally {
            for (SpoolEntry e : entries) {
                e.closeChannel();
            }
        }
    }

    /**
     * What to do with a dead writer's entry: a data bucket the store lacks whole blocks of, unsealed
     * or sealed in the spool only, gets them as a bucket of its own; a bucket sealed in the spool
     * whose whole object the store has, or whose parts hold it all (its trailer too: readers read
     * it as sealed), and every other object are uploaded as before.
     */
    private LeftoverBucket.Plan plan(SpoolEntry entry) throws IOException {
        if (entry.sealed() && entry.wholeUploaded()) {
            return new LeftoverBucket.NotApplicable();
        }
        Optional<ObjectState> there = ObjectState.look(client, layout, entry.name());
        if (entry.sealed() && there.isPresent() && !there.get().growing()) {
            return new LeftoverBucket.NotApplicable(); // uploaded whole; killed before its record said so
        }
        long inStore = there.filter(ObjectState::growing).map(ObjectState::size).orElse(entry.published());
        if (entry.sealed() && inStore >= entry.size()) {
            return new LeftoverBucket.NotApplicable();
        }
        return LeftoverBucket.plan(entry, inStore);
    }

    /**
     * {@code index} with the "sealed" entries of {@code sequences} left out of what the store does
     * not have yet: its record first moved up to the parts the store holds of its spool.
     */
    private SpoolEntry withoutSeals(SpoolEntry index, Set<Long> sequences) throws IOException {
        long at = index.published();
        for (long held; at < index.size() && (held = publisher.partHeld(index, at)) > 0; ) {
            at += held;
        }
        if (at > index.published()) {
            index.publishedTo(at);
        }
        byte[] tail = WithdrawnSeals.tailWithout(index, at, sequences);
        return tail == null ? index : index.rewrittenFrom(at, tail);
    }

    private boolean apply(Planned p) {
        SpoolEntry entry = p.entry();
        if (p.plan() instanceof LeftoverBucket.NotApplicable) {
            return publisher.step(entry, true);
        }
        try {
            if (p.plan() instanceof LeftoverBucket.Rewritten r) {
                for (CorruptionReport damage : r.damage()) {
                    options.errorListener().accept(new IOException("a dead writer's spool of " + entry.name()
                            + " is damaged; what is intact is recovered: " + damage));
                }
                String key = layout.headKey(r.rewrite().name());
                byte[] content = r.rewrite().content();
                if (client.putIfNoneMatch(key, RequestBody.fromBytes(content), Map.of())) {
                    publisher.uploaded(content.length);
                } else if (!Arrays.equals(client.readAll(key), content)) {
                    // its name is made from the original's: only an earlier recovery of it made it
                    throw new IOException(client.where(key) + ": holds other bytes than the recovery of "
                            + entry.name() + " would write; its spool is left as it is");
                }
            }
            return entry.delete() >= 0;
        } catch (IOException e) {
            publisher.failed(e);
            return false;
        }
    }
}
