package io.bucketlog.reader;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.StreamConfig;
import io.bucketlog.backend.FileLayout;
import io.bucketlog.format.BlockEntry;
import io.bucketlog.format.BucketFooter;
import io.bucketlog.format.IndexEntry;
import io.bucketlog.read.BucketFile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * One run of a query: window by window in the query's direction. Index windows do not overlap in
 * time (a bucket holds only events of its own window, and lives in its window's directory), so
 * each window is merged on its own and the next is opened only when the current one is exhausted
 * or the limit is not yet reached: "latest N" touches only the newest windows it needs.
 *
 * <p>In a window, data buckets are found by listing the window directory in every root (so a
 * bucket whose "opened" index entry was lost is still read) and pruned, cheapest test first: time
 * range of the bucket's window, the brigade's "superseded" commits, the index's summary of sealed
 * buckets (time range, count, Bloom filter of keys), the footer's key table (cached), and finally
 * the footer's per-key block lists. Only surviving blocks are read.
 */
final class QueryExecution implements QueryResult {
    private final BucketlogReader reader;
    private final StreamConfig config;
    private final QuerySpec spec;
    private final long[] windows;
    private int windowAt;
    private final List<BucketFile> openFiles = new ArrayList<>();
    private final List<CorruptionReport> corruptions = new ArrayList<>();
    private OrderedMerge merge;
    private Event next;
    private Event lastReturned;
    private Cursor cursor;
    private boolean closed;

    private long statWindows;
    private long statIndexFiles;
    private long statListed;
    private long statPruned;
    private long statOpened;
    private long statFooterHits;
    private long statBlocks;
    private long statBytes;
    private long statEvents;

    QueryExecution(BucketlogReader reader, StreamConfig config, QuerySpec spec) {
        this.reader = reader;
        this.config = config;
        this.spec = spec;
        long[] w = WindowPlan.windows(reader.layout(), spec.stream(), config.indexWindowNanos(),
                spec.fromNanos(), spec.toNanos(), this::report);
        if (!spec.forward()) {
            for (int i = 0, j = w.length - 1; i < j; i++, j--) {
                long t = w[i];
                w[i] = w[j];
                w[j] = t;
            }
        }
        this.windows = w;
    }

    private void report(CorruptionReport r) {
        corruptions.add(r);
        reader.reportCorruption(r);
    }

    @Override
    public boolean hasNext() {
        if (next == null && !closed && statEvents < spec.limit()) {
            next = advance();
            if (next == null) {
                closeFiles();
            }
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
        cursor = null;
        lastReturned = e;
        if (statEvents >= spec.limit()) {
            closeFiles();
        }
        return e;
    }

    @Override
    public Cursor cursor() {
        if (cursor == null && lastReturned != null) {
            cursor = Cursor.of(lastReturned);
        }
        return cursor;
    }

    private Event advance() {
        while (true) {
            if (merge != null) {
                try {
                    Event e = merge.next();
                    if (e != null) {
                        return e;
                    }
                } catch (IOException e) {
                    report(new CorruptionReport(null, -1, "read error: " + e));
                }
                closeFiles();
                merge = null;
            }
            if (windowAt >= windows.length) {
                return null;
            }
            merge = openWindow(windows[windowAt++]);
        }
    }

    private OrderedMerge openWindow(long windowStart) {
        statWindows++;
        FileLayout layout = reader.layout();
        List<Path> indexFiles = new ArrayList<>();
        List<Path> bucketFiles = new ArrayList<>();
        for (int r = 0; r < layout.roots().size(); r++) {
            Path dir = layout.windowDir(r, spec.stream(), windowStart);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    String name = p.getFileName().toString();
                    if (name.endsWith(".idx")) {
                        indexFiles.add(p);
                    } else if (name.endsWith(".bkt")) {
                        bucketFiles.add(p);
                    }
                }
            } catch (NoSuchFileException e) {
                // no writer wrote to this window in this root
            } catch (IOException e) {
                report(new CorruptionReport(dir, -1, "cannot list: " + e));
            }
        }
        Map<String, IndexCache.View> indexes = new HashMap<>();
        for (Path idx : indexFiles) {
            String writerId = FileLayout.parseIndexName(idx.getFileName().toString());
            if (writerId == null) {
                continue;
            }
            try {
                IndexCache.Refresh refresh = reader.indexCache().refresh(idx);
                if (refresh.bytesRead() > 0) {
                    statIndexFiles++;
                    statBytes += refresh.bytesRead();
                }
                indexes.put(writerId, refresh.view());
                for (CorruptionReport r : refresh.view().corruptions()) {
                    report(r);
                }
            } catch (NoSuchFileException e) {
                // removed since the listing (retention)
            } catch (IOException e) {
                report(new CorruptionReport(idx, -1, "cannot read: " + e));
            }
        }
        String key = spec.key();
        long from = spec.fromNanos();
        long to = spec.toNanos();
        List<OrderedMerge.Source> sources = new ArrayList<>();
        for (Path p : bucketFiles) {
            FileLayout.BucketName name = FileLayout.parseBucketName(p.getFileName().toString());
            if (name == null) {
                continue;
            }
            statListed++;
            if (name.windowStart() >= to || name.windowStart() + config.bucketWidthNanos() <= from
                    || superseded(indexes, name)) {
                statPruned++;
                continue;
            }
            IndexCache.View view = indexes.get(name.writerId());
            IndexEntry.Sealed s = view == null ? null : view.sealed().get(name.sequence());
            if (s != null && (s.maxTimestamp() < from || s.minTimestamp() >= to || s.count() == 0
                    || (key != null && !s.keys().mightContain(key)))) {
                statPruned++;
                continue;
            }
            BucketFile file = open(p, name);
            if (file == null) {
                continue;
            }
            List<BlockEntry> blocks = file.candidateBlocks(key, from, to);
            if (blocks.isEmpty()) {
                statPruned++;
                closeQuietly(file);
                continue;
            }
            openFiles.add(file);
            for (BlockEntry b : blocks) {
                sources.add(new OrderedMerge.Source(file, b));
            }
        }
        List<Event> scratch = new ArrayList<>();
        return new OrderedMerge(sources, spec.forward(), (src, out) -> {
            statBlocks++;
            long before = src.file().bytesRead();
            scratch.clear();
            src.file().readBlock(src.block(), spec.stream(), key, from, to, scratch);
            statBytes += src.file().bytesRead() - before;
            for (Event e : scratch) {
                if (spec.accepts(e)) {
                    out.add(e);
                }
            }
        });
    }

    private static boolean superseded(Map<String, IndexCache.View> indexes,
                                      FileLayout.BucketName name) {
        if (indexes.isEmpty()) {
            return false;
        }
        IndexEntry.BucketRef ref = new IndexEntry.BucketRef(name.writerId(), name.windowStart(),
                name.sequence());
        for (IndexCache.View v : indexes.values()) {
            if (v.superseded().contains(ref)) {
                return true;
            }
        }
        return false;
    }

    /** Opens a bucket through its cached footer if it has one; null if it is gone or unreadable. */
    private BucketFile open(Path p, FileLayout.BucketName name) {
        try {
            BucketFooter cached = reader.footerCache().get(p);
            BucketFile file;
            if (cached != null) {
                statFooterHits++;
                file = BucketFile.openSealed(p, name, cached, this::report);
            } else {
                file = BucketFile.open(p, name, this::report);
                statBytes += file.bytesRead();
                if (file.sealed()) {
                    reader.footerCache().put(p, file.footer());
                }
            }
            statOpened++;
            return file;
        } catch (NoSuchFileException e) {
            return null; // removed since the listing (retention, brigade)
        } catch (IOException e) {
            report(new CorruptionReport(p, -1, "cannot read: " + e));
            return null;
        }
    }

    private void closeFiles() {
        for (BucketFile f : openFiles) {
            closeQuietly(f);
        }
        openFiles.clear();
    }

    private void closeQuietly(BucketFile f) {
        try {
            f.close();
        } catch (IOException e) {
            report(new CorruptionReport(f.path(), -1, "cannot close: " + e));
        }
    }

    @Override
    public QueryStats stats() {
        return new QueryStats(statWindows, statIndexFiles, statListed, statPruned, statOpened,
                statFooterHits, statBlocks, statBytes, statEvents);
    }

    @Override
    public List<CorruptionReport> corruptions() {
        return List.copyOf(corruptions);
    }

    @Override
    public void close() {
        closed = true;
        next = null;
        merge = null;
        closeFiles();
    }
}
