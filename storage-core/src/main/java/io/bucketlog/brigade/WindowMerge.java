package io.bucketlog.brigade;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.StreamConfig;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.spi.AppendableObject;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Carries out one {@link WorkUnit}: claim, read the inputs' intact records, sort them, write the
 * merged bucket completely and seal it, record it in the brigade's index, keep damaged inputs
 * aside, commit. The order is what makes a crash at any point harmless: until the commit exists
 * readers read the inputs (a {@code -merged} bucket no commit names is never read); after it they
 * read the merged bucket, which is complete by then.
 */
final class WindowMerge {
    private final EngineView view;
    private final Claims claims;
    private final Commits commits;
    private final BrigadeIndex index;
    private final MergedBucketSink sink;
    private final String brigadeId;
    private long nextSequence;

    WindowMerge(EngineView view, Claims claims, Commits commits, BrigadeIndex index,
                MergedBucketSink sink, String brigadeId) {
        this.view = view;
        this.claims = claims;
        this.commits = commits;
        this.index = index;
        this.sink = sink;
        this.brigadeId = brigadeId;
    }

    /**
     * What became of a unit.
     *
     * @param kind what happened
     * @param events events in the merged bucket
     * @param bytes its size
     * @param copies copies of an event dropped while merging
     * @param damaged inputs with damage, kept aside
     * @param damage what was found
     */
    record Outcome(BrigadeStep.Kind kind, long events, long bytes, long copies, int damaged,
                   List<CorruptionReport> damage) {
        static Outcome of(BrigadeStep.Kind kind) {
            return new Outcome(kind, 0, 0, 0, 0, List.of());
        }
    }

    Outcome run(WorkUnit unit, WindowListing listing, StreamConfig config) throws IOException {
        String prefix = EngineView.windowPrefix(unit.stream(), unit.indexWindowStart());
        String hex = unit.hex();
        if (listing.commits().containsKey(hex)) {
            return Outcome.of(BrigadeStep.Kind.ALREADY_DONE);
        }
        Optional<Claims.Claim> claim = claims.tryClaim(prefix, hex, listing.objects());
        if (claim.isEmpty()) {
            return Outcome.of(BrigadeStep.Kind.CLAIMED_ELSEWHERE);
        }
        List<Event> records = new ArrayList<>();
        List<CorruptionReport> damage = new ArrayList<>();
        List<ListedBucket> damaged = new ArrayList<>();
        long end = unit.windowStart() + unit.widthNanos();
        for (ListedBucket in : unit.inputs()) {
            EngineView.BucketRecords r = view.read(unit.stream(), in);
            if (r == null) {
                return Outcome.of(BrigadeStep.Kind.INPUT_GONE); // merged or deleted meanwhile
            }
            for (Event e : r.events()) {
                if (e.timestampNanos() < unit.windowStart() || e.timestampNanos() >= end) {
                    // A bucket wider than the unit (a hand-edited stream.conf): merging it into a
                    // narrower bucket would hide the event from queries by time.
                    damage.add(new CorruptionReport(view.locationOf(
                            in.volume(), in.objectName(unit.stream())), -1, "holds an event outside"
                            + " the window it is merged into; the window is left unmerged"));
                    return new Outcome(BrigadeStep.Kind.SKIPPED, 0, 0, 0, 0, damage);
                }
            }
            records.addAll(r.events());
            if (!r.damage().isEmpty()) {
                damage.addAll(r.damage());
                damaged.add(in);
            }
        }
        MergeOrder.Sorted sorted = MergeOrder.sort(records, config.blockBytes());
        if (!claims.stillHeld(claim.get())) {
            return Outcome.of(BrigadeStep.Kind.CLAIMED_ELSEWHERE); // expired and taken over
        }
        long seq = nextSequence++;
        int volume = (int) (seq % view.volumes().size());
        Storage out = view.volumes().get(volume);
        // "-merged": readers ignore it until a commit names it, so no reader meets its events
        // twice while it is written and committed.
        StoreLayout.BucketName name = unit.indexWindowStart() == StoreLayout.ROLL_UP_AREA
                ? StoreLayout.BucketName.rollUp(unit.windowStart(), brigadeId, seq, unit.widthNanos())
                : new StoreLayout.BucketName(unit.windowStart(), brigadeId, seq, false, true);
        String objectName = prefix + StoreLayout.bucketFileName(name);
        IndexEntry.Sealed sealed;
        try (AppendableObject bucket = out.create(objectName)) {
            index.append(unit.stream(), unit.indexWindowStart(), config.indexWindowNanos(),
                    new IndexEntry.Opened(seq, unit.windowStart()));
            sealed = sink.write(bucket, new MergedBucketSink.Header(unit.stream(), unit.windowStart(),
                    unit.widthNanos(), seq, brigadeId, config.compression(), config.blockBytes()),
                    sorted.records(), sorted.slices()); // synced and sealed before a commit names it
        } catch (IOException | RuntimeException e) {
            try {
                out.delete(objectName); // an incomplete copy would only be read and merged again
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        index.append(unit.stream(), unit.indexWindowStart(), config.indexWindowNanos(), sealed);
        for (ListedBucket d : damaged) {
            keepAside(unit, d);
        }
        List<IndexEntry.BucketRef> inputs = unit.inputs().stream().map(ListedBucket::ref).toList();
        boolean won = commits.commit(prefix, hex, index.commitHeader(unit.stream(),
                unit.indexWindowStart(), config.indexWindowNanos()), inputs,
                new IndexEntry.BucketRef(brigadeId, unit.windowStart(), seq));
        if (!won) {
            out.delete(objectName);
            return new Outcome(BrigadeStep.Kind.LOST_RACE, 0, 0, 0, 0, damage);
        }
        return new Outcome(unit.rollUp() ? BrigadeStep.Kind.ROLLED_UP : BrigadeStep.Kind.MERGED,
                sorted.records().size(), sealed.fileBytes(), sorted.copies(), damaged.size(), damage);
    }

    /**
     * Keeps a damaged input out of the read path but on the store: a copy under
     * {@code <stream>/damaged/<index-window or rollup>/<file>} (on the input's volume), made before the
     * commit; the input itself is deleted after the grace period like any other. Its intact
     * records are in the merged bucket; the copy keeps whatever a person or a better tool could
     * still recover from the damaged part.
     */
    private void keepAside(WorkUnit unit, ListedBucket d) throws IOException {
        view.volumes().get(d.volume()).putIfAbsent(damagedName(unit.stream(), d.directory(),
                d.fileName()), view.readWhole(d.volume(), d.objectName(unit.stream())));
    }

    static String damagedName(String stream, long indexWindowStart, String fileName) {
        return stream + "/damaged/" + StoreLayout.windowName(indexWindowStart) + "/" + fileName;
    }
}
