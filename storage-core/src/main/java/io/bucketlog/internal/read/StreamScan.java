package io.bucketlog.internal.read;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Direction;
import io.bucketlog.Event;
import io.bucketlog.EventScan;
import io.bucketlog.ScanRequest;
import io.bucketlog.ScanStats;
import io.bucketlog.internal.format.BlockEntry;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.TimeSlices;
import io.bucketlog.internal.index.BucketCatalog;
import io.bucketlog.internal.index.BucketPlace;
import io.bucketlog.internal.index.WindowBuckets;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StoreObject;
import io.bucketlog.internal.store.StreamHistory;
import io.bucketlog.spi.NoSuchObjectException;
import io.bucketlog.spi.ObjectVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The read engine: a scan of one stream, segment by segment in the scan's direction. Index
 * windows do not overlap in time (a bucket holds only events of its own window and lives in its
 * window's directory), so each is merged on its own and the next is opened only when the current
 * one is exhausted: a scan that stops early ("latest N") never touches the windows beyond. A
 * roll-up (in the stream's roll-up area, listed once per scan) overlaps many windows: the windows
 * its events span and the roll-ups overlapping them form one segment, merged together, so the
 * order and the de-duplication by event id hold across them ({@link ScanSegments}).
 *
 * <p>In a window, data buckets come from the {@link BucketCatalog} (a listing of the window on
 * every volume, so a bucket whose "opened" index entry was lost is still read) and are pruned,
 * cheapest test first: the time range of the bucket's window, the compactor's "superseded"
 * commits (applied by the catalog), the index's summary of
 * sealed buckets (time range, count, Bloom filter of keys), then, once opened, the footer's key
 * table and the blocks' time ranges. Only surviving blocks are read; sealed buckets through their
 * footers (from the {@link ReadCache} when it has them), open ones by scanning.
 *
 * <p>A bucket the index saw sealed but that has no valid trailer is reported as damaged: a crash
 * cannot cause that, because "sealed" is appended after the trailer is written.
 *
 * <p>Damage is listed in {@link #corruptions()} and passed to the listener as it is met; the scan
 * goes on with the rest. Not thread-safe: one scan, one thread.
 */
public final class StreamScan implements EventScan {
    /** The order of a forward scan, (timestamp, writerId, sequence); a backward scan reverses it. */
    public static final Comparator<Event> FORWARD = BlockMerge.FORWARD;

    private final BucketCatalog catalog;
    private final StreamHistory history;
    private final ScanRequest request;
    private final ReadCache cache;
    private final Predicate<Event> reject;
    private final BlockTally tally;
    private final Consumer<CorruptionReport> reporter = this::report;
    private final List<ScanSegments.Segment> segments;
    private final WindowBuckets rollUps;
    private final BucketPlace place;
    private int segmentAt;
    /** Most files a scan keeps open at once; others are reopened when their blocks are read. */
    private static final int MAX_OPEN_FILES = 64;

    /** Buckets opened in the current window, closed when it is done. */
    private final List<BucketFile> openFiles = new ArrayList<>();
    /** Per opened bucket, its blocks not yet read: at zero its file is closed. */
    private final Map<BucketFile, Integer> remainingBlocks = new HashMap<>();
    /** Buckets whose file is open now, least recently used first. */
    private final LinkedHashMap<BucketFile, Boolean> channels = new LinkedHashMap<>(16, 0.75f, true);
    private final DamageLog damage;
    /** Reports made, repeats included: tells whether opening a bucket found damage. */
    private long reportCount;
    /** Whether segments are read in storage order ({@link #inStorageOrder}). */
    private final boolean storageOrder;
    /** Whether the current segment is read in storage order, so a bucket's blocks one by one. */
    private boolean blockByBlock;
    private SegmentRead merge;
    private Event next;
    private boolean closed;

    private long statWindows;
    private long statIndexFiles;
    private long statIndexFilesRead;
    private long statIndexBytes;
    private long statListed;
    private long statSkipped;
    private long statOpened;
    private long statPrunedAfterOpen;
    private long statFootersFromCache;
    private long statBlocks;
    private long statBytes;
    private long statEvents;

    /** A scan that caches nothing, keeps every event and only lists the damage it meets. */
    public StreamScan(StoreLayout layout, StreamHistory history, ScanRequest request) {
        this(layout, history, request, ReadCache.NONE, null, r -> { });
    }

    /**
     * @param cache where parsed index buckets and sealed footers come from
     * @param filter keeps an event, tested after the key and time range, as the scan returns it; or
     *     {@code null} to keep every event
     * @param listener told of each damaged place the first time it is met (it is also listed in
     *     {@link #corruptions()}, with how often it was met)
     */
    public StreamScan(StoreLayout layout, StreamHistory history, ScanRequest request, ReadCache cache,
                      Predicate<Event> filter, Consumer<CorruptionReport> listener) {
        this(layout, history, request, cache, filter, listener, null);
    }

    /**
     * A scan that first offers each candidate block (one that can hold the key and overlaps the
     * range, from a sealed bucket's block table or an open bucket's frame headers) to {@code
     * tally}: a block it takes is accounted for by the tally and never read or returned. This is
     * how counts come from block tables instead of decoding; a tally must only take a block whose
     * every record it wants counted as is (no key or filter to apply).
     *
     * @param tally takes blocks it counts without reading them, or {@code null}
     */
    public StreamScan(StoreLayout layout, StreamHistory history, ScanRequest request, ReadCache cache,
                      Predicate<Event> filter, Consumer<CorruptionReport> listener, BlockTally tally) {
        this(layout, history, request, cache, filter, listener, tally, false);
    }

    /**
     * A scan that returns each window's events in the order the store holds them, not in time
     * order: windows (and roll-up segments) oldest first, and in each, bucket by bucket and block
     * by block as stored, every event once ({@link StorageOrderRead}, which says when a segment
     * is still read in time order). The request must go forward.
     *
     * @throws IllegalArgumentException if the request goes backward
     */
    public static StreamScan inStorageOrder(StoreLayout layout, StreamHistory history,
                                            ScanRequest request, ReadCache cache,
                                            Predicate<Event> filter,
                                            Consumer<CorruptionReport> listener) {
        if (request.direction() != Direction.FORWARD) {
            throw new IllegalArgumentException("a scan in storage order goes forward, window by window");
        }
        return new StreamScan(layout, history, request, cache, filter, listener, null, true);
    }

    private StreamScan(StoreLayout layout, StreamHistory history, ScanRequest request, ReadCache cache,
                       Predicate<Event> filter, Consumer<CorruptionReport> listener, BlockTally tally,
                       boolean storageOrder) {
        this.storageOrder = storageOrder;
        this.tally = tally;
        this.catalog = new BucketCatalog(layout, cache);
        this.history = history;
        this.request = request;
        this.cache = cache;
        this.reject = filter == null ? null : filter.negate();
        this.damage = new DamageLog(listener);
        if (history.indexWindowProblem() != null) {
            report(new CorruptionReport(streamConfigLocation(), -1, history.indexWindowProblem()));
        }
        long[] w = catalog.windows(request.stream(), history.indexWindowNanos(),
                request.fromNanos(), request.toNanos(), reporter);
        this.rollUps = catalog.rollUps(request.stream(), history.indexWindowNanos(), reporter);
        this.segments = ScanSegments.of(w, rollUps.live(), history.indexWindowNanos(),
                request.fromNanos(), request.toNanos(), request.direction() == Direction.BACKWARD);
        this.place = new BucketPlace(request.stream(), history.indexWindowNanos());
    }

    private void report(CorruptionReport r) {
        reportCount++;
        damage.report(r);
    }

    /** Counts whole blocks from their table entries; see the constructor that takes one. */
    @FunctionalInterface
    public interface BlockTally {
        /** Whether this block is counted here, so that the scan need not read it. */
        boolean take(BlockEntry block);
    }

    @Override
    public boolean hasNext() {
        if (next == null && !closed) {
            next = advance();
        }
        return next != null;
    }

    @Override
    public Event next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Event e = next;
        next = null;
        statEvents++;
        return e;
    }

    private Event advance() {
        while (true) {
            if (merge != null) {
                Event e = merge.next();
                if (e != null) {
                    if (reject != null && reject.test(e)) {
                        continue;
                    }
                    return e;
                }
                closeFiles();
                merge = null;
            }
            if (segmentAt >= segments.size()) {
                return null;
            }
            merge = openSegment(segments.get(segmentAt++));
        }
    }

    private SegmentRead openSegment(ScanSegments.Segment segment) {
        List<BlockMerge.Bucket> buckets = new ArrayList<>();
        if (segmentAt == 1) {
            statIndexFiles += rollUps.indexFiles().size(); // listed once, for every segment
            statIndexFilesRead += rollUps.indexFilesRead();
            statIndexBytes += rollUps.indexBytesRead();
        }
        for (long windowStart : segment.windows()) {
            statWindows++;
            WindowBuckets window = catalog.window(request.stream(), windowStart,
                    history.indexWindowNanos(), rollUps, reporter);
            statIndexFiles += window.indexFiles().size();
            statIndexFilesRead += window.indexFilesRead();
            statIndexBytes += window.indexBytesRead();
            addCandidates(window.buckets(), windowStart + history.indexWindowNanos(), buckets);
        }
        addCandidates(segment.rollUps(), Long.MAX_VALUE, buckets);
        BlockMerge.Reader reader = new BlockMerge.Reader() {
            @Override
            public List<BlockMerge.Block> open(BlockMerge.Bucket bucket) {
                return openBucket(bucket);
            }

            @Override
            public boolean load(BlockMerge.Block block, DecodedRun out) {
                return loadBlock(block, out);
            }
        };
        List<BlockMerge.Bucket> inStorageOrder = storageOrder ? StorageOrderRead.order(buckets) : null;
        blockByBlock = inStorageOrder != null;
        return inStorageOrder != null ? new StorageOrderRead(inStorageOrder, reader)
                : new BlockMerge(buckets, request.direction(), reader);
    }

    /**
     * Adds the buckets that may hold events of the request to the merge.
     *
     * @param directoryEnd the end of their directory's index window (a bound for unsealed ones)
     */
    private void addCandidates(List<WindowBuckets.Bucket> listed, long directoryEnd,
                               List<BlockMerge.Bucket> buckets) {
        String key = request.key();
        long from = request.fromNanos();
        long to = request.toNanos();
        for (WindowBuckets.Bucket b : listed) {
            StoreLayout.BucketName name = b.name();
            statListed++;
            if (name.windowStart() >= to || b.superseded()) {
                statSkipped++;
                continue;
            }
            IndexEntry.Sealed s = b.sealed();
            if (s != null && (s.maxTimestamp() < from || s.minTimestamp() >= to || s.count() == 0
                    || (key != null && !s.keys().mightContain(key)))) {
                statSkipped++;
                continue;
            }
            if (s == null && unsealedEndsBy(b.object(), name, from)) {
                statSkipped++;
                continue;
            }
            // What the bucket can hold: its window (a bucket holds only its own window's events),
            // narrowed by the index's summary when it is sealed, and by the query's range. An
            // unsealed bucket's real width is in its header, which the configuration may belie,
            // so it is bounded by its index window, which no bucket outlasts.
            long min = Math.max(from, s != null ? s.minTimestamp() : name.windowStart());
            long max = Math.min(to - 1, s != null ? s.maxTimestamp() : directoryEnd - 1);
            buckets.add(new BlockMerge.Bucket(b.object(), name, s, min, max));
        }
    }

    private boolean unsealedEndsBy(StoreObject p, StoreLayout.BucketName name, long from) {
        return BucketAgreement.unsealedEndsBy(p, name, from, history,
                streamConfigLocation(), this::report);
    }

    private String streamConfigLocation() {
        return catalog.layout().volume(0).locationOf(StoreLayout.streamConfig(request.stream()));
    }

    /** Opens a bucket (through its cached footer if there is one) and lists its matching blocks. */
    private List<BlockMerge.Block> openBucket(BlockMerge.Bucket bucket) {
        BucketFile file = open(bucket.object(), bucket.name(), bucket.sealed());
        if (file == null) {
            return List.of();
        }
        List<BlockEntry> blocks = file.candidateBlocks(request.key(), request.fromNanos(),
                request.toNanos());
        if (tally != null) {
            blocks.removeIf(tally::take);
        }
        if (blocks.isEmpty()) {
            statPrunedAfterOpen++;
            closeQuietly(file);
            return List.of();
        }
        List<BlockMerge.Block> out = new ArrayList<>(blocks.size());
        TimeSlices slices = file.footer() == null || blockByBlock ? null : file.footer().slices();
        if (slices == null) { // and a segment read in storage order takes one block at a time
            for (BlockEntry b : blocks) {
                out.add(BlockMerge.Block.of(file, b));
            }
        } else {
            // The candidate blocks of one slice are read together (BlockMerge says why); the
            // footer vouches that each lies in one slice, in slice order.
            int from = 0;
            for (int i = 1; i <= blocks.size(); i++) {
                if (i == blocks.size() || slices.sliceOf(blocks.get(i).minTimestamp())
                        != slices.sliceOf(blocks.get(from).minTimestamp())) {
                    out.add(BlockMerge.Block.of(file, blocks.subList(from, i)));
                    from = i;
                }
            }
        }
        openFiles.add(file);
        remainingBlocks.put(file, out.size());
        useChannel(file);
        return out;
    }

    /**
     * Opens a bucket, through its cached footer if there is one.
     *
     * @param sealed what the index says of it, or null
     * @return null if it is gone or unreadable
     */
    private BucketFile open(StoreObject p, StoreLayout.BucketName name, IndexEntry.Sealed sealed) {
        try {
            // Listed by this scan's catalog, which checked its directories (Storage.statListed).
            ObjectVersion version = p.storage().statListed(p.name()).orElse(null);
            if (version == null) {
                return null; // removed since the listing (retention, compactor)
            }
            ReadCache.CachedFooter cached = cache.footers().get(version);
            if (cached != null && cached.footer() == null) {
                report(new CorruptionReport(p.location(), 0, "not a data bucket (no valid header, no"
                        + " valid block); not read again until it changes"));
                return null;
            }
            BucketFile file = cached == null ? null
                    : BucketFile.openSealed(p, cache.sealedOpens().open(p, version), name,
                            cached.footer(), cached.fileSize(), reporter);
            if (file != null) {
                statFootersFromCache++;
            } else {
                long reportsBefore = reportCount;
                file = BucketFile.open(p, name, place, reporter);
                statBytes += file.bytesRead();
                if (file.sealed()) {
                    cache.footers().put(version, new ReadCache.CachedFooter(file.footer(), file.size()));
                } else if (file.header() == null && file.blocks().isEmpty() && file.size() > 0
                        && file.size() == version.size()) {
                    cache.footers().put(version, new ReadCache.CachedFooter(null, file.size()));
                }
                String width = BucketAgreement.withConfig(file, history);
                if (width != null) {
                    report(new CorruptionReport(streamConfigLocation(), -1, width));
                }
                String disagreement = sealed == null ? null : BucketAgreement.withIndex(file, sealed);
                if (disagreement != null && reportCount == reportsBefore) {
                    report(new CorruptionReport(p.location(), Math.min(sealed.footerOffset(),
                            file.size()), disagreement));
                }
            }
            statOpened++;
            return file;
        } catch (NoSuchObjectException e) {
            return null; // removed since the listing (retention, compactor)
        } catch (IOException e) {
            report(new CorruptionReport(p.location(), -1, "cannot read: " + e));
            return null;
        }
    }

    /**
     * The merge's block loader: key and time range in the decoder (the filter is applied to each
     * event as it is returned, {@link #advance}). A block that cannot be read costs only itself:
     * it is reported (unless its file was deleted since, which is retention's doing, not damage)
     * and the merge goes on. Returns whether the records are in forward order already.
     */
    private boolean loadBlock(BlockMerge.Block block, DecodedRun out) {
        BucketFile file = block.file();
        long before = file.bytesRead();
        boolean sorted = true;
        for (BlockEntry entry : block.entries()) {
            statBlocks++;
            int start = out.size();
            try {
                useChannel(file);
                sorted &= file.readRecords(entry, request.stream(), request.key(), request.fromNanos(),
                        request.toNanos(), out);
            } catch (NoSuchObjectException gone) {
                // its records were not added: the read fails before decoding
            } catch (IOException e) {
                report(new CorruptionReport(file.location(), entry.offset(),
                        "cannot read block: " + e));
            }
            // Each block's records may be in order and still not follow the previous block's.
            sorted &= start == 0 || start == out.size() || out.followsPrevious(start);
        }
        statBytes += file.bytesRead() - before;
        Integer left = remainingBlocks.merge(file, -1, Integer::sum);
        if (left != null && left <= 0) {
            remainingBlocks.remove(file);
            channels.remove(file);
            releaseQuietly(file); // its last block is read
        }
        return sorted;
    }

    /** Marks a file's channel as recently used, closing the least recently used beyond the limit. */
    private void useChannel(BucketFile file) {
        channels.put(file, Boolean.TRUE);
        if (channels.size() > MAX_OPEN_FILES) {
            BucketFile eldest = channels.keySet().iterator().next();
            channels.remove(eldest);
            releaseQuietly(eldest);
        }
    }

    private void releaseQuietly(BucketFile f) {
        try {
            f.release();
        } catch (IOException e) {
            report(new CorruptionReport(f.location(), -1, "cannot close: " + e));
        }
    }

    private void closeFiles() {
        for (BucketFile f : openFiles) {
            closeQuietly(f);
        }
        openFiles.clear();
        remainingBlocks.clear();
        channels.clear();
    }

    private void closeQuietly(BucketFile f) {
        try {
            f.close();
        } catch (IOException e) {
            report(new CorruptionReport(f.location(), -1, "cannot close: " + e));
        }
    }

    @Override
    public ScanStats stats() {
        return new ScanStats(statWindows, statIndexFiles, statIndexFilesRead, statIndexBytes,
                statListed, statSkipped, statOpened, statPrunedAfterOpen, statFootersFromCache,
                statBlocks, statBytes, statEvents);
    }

    @Override
    public List<CorruptionReport> corruptions() {
        return damage.reports();
    }

    /** Releases the files; idempotent. Iteration then ends; stats and damage stay readable. */
    @Override
    public void close() {
        closed = true;
        next = null;
        merge = null;
        closeFiles();
    }
}
