package io.bucketlog.read;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Direction;
import io.bucketlog.Event;
import io.bucketlog.EventScan;
import io.bucketlog.ScanRequest;
import io.bucketlog.ScanStats;
import io.bucketlog.StreamConfig;
import io.bucketlog.backend.FileLayout;
import io.bucketlog.format.IndexEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;

/**
 * A scan of one stream, window by window in the scan's direction. Index windows do not overlap in
 * time, so each is merged on its own and the next is opened only when the current one is
 * exhausted: a scan that stops early never touches the windows beyond.
 *
 * <p>Within a window, the data buckets are found by listing the window directory in every root
 * (so a bucket whose "opened" index entry was lost is still read), and pruned with what the index
 * says of sealed ones: time range, Bloom filter of keys, and "superseded" commits of the brigade.
 * Sealed buckets are read through their footers; open ones by scanning.
 *
 * <p>Not thread-safe: one scan, one thread.
 */
public final class StreamScan implements EventScan {
    /** Above this many windows in the range, listing the stream directory is cheaper. */
    private static final long MAX_COMPUTED_WINDOWS = 4096;

    private final FileLayout layout;
    private final StreamConfig config;
    private final ScanRequest request;
    private final long[] windows;
    private int windowAt;
    private final List<BucketFile> openFiles = new ArrayList<>();
    private final List<CorruptionReport> corruptions = new ArrayList<>();
    private BlockMerge merge;
    private Event next;
    private boolean closed;

    private long statWindows;
    private long statIndexFiles;
    private long statBucketsSkipped;
    private long statBucketsOpened;
    private long statBlocks;
    private long statBytes;
    private long statEvents;

    public StreamScan(FileLayout layout, StreamConfig config, ScanRequest request) {
        this.layout = layout;
        this.config = config;
        this.request = request;
        this.windows = windows();
    }

    private long[] windows() {
        long width = config.indexWindowNanos();
        long first = Math.floorDiv(request.fromNanos(), width) * width;
        long lastTs = request.toNanos() == Long.MAX_VALUE ? Long.MAX_VALUE : request.toNanos() - 1;
        long last = Math.floorDiv(lastTs, width) * width;
        if (request.toNanos() <= request.fromNanos()) {
            return new long[0];
        }
        long[] out;
        if ((last - first) / width < MAX_COMPUTED_WINDOWS) {
            int n = (int) ((last - first) / width) + 1;
            out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = first + i * width;
            }
        } else {
            TreeSet<Long> found = new TreeSet<>();
            for (int r = 0; r < layout.roots().size(); r++) {
                Path dir = layout.streamDir(r, request.stream());
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                    for (Path p : ds) {
                        long start = FileLayout.parseWindowName(p.getFileName().toString());
                        if (start >= 0 && start >= first && start <= last) {
                            found.add(start);
                        }
                    }
                } catch (NoSuchFileException e) {
                    // nothing in this root yet
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + dir, e);
                }
            }
            out = found.stream().mapToLong(Long::longValue).toArray();
        }
        if (request.direction() == Direction.BACKWARD) {
            for (int i = 0, j = out.length - 1; i < j; i++, j--) {
                long t = out[i];
                out[i] = out[j];
                out[j] = t;
            }
        }
        return out;
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
                try {
                    Event e = merge.next();
                    if (e != null) {
                        return e;
                    }
                } catch (IOException e) {
                    corruptions.add(new CorruptionReport(null, -1, "read error: " + e));
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

    private BlockMerge openWindow(long windowStart) {
        statWindows++;
        List<Path> indexFiles = new ArrayList<>();
        List<Path> bucketFiles = new ArrayList<>();
        for (int r = 0; r < layout.roots().size(); r++) {
            Path dir = layout.windowDir(r, request.stream(), windowStart);
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
                corruptions.add(new CorruptionReport(dir, -1, "cannot list: " + e));
            }
        }
        Map<String, IndexEntry.Sealed> sealed = new HashMap<>();
        Set<IndexEntry.BucketRef> superseded = new HashSet<>();
        for (Path idx : indexFiles) {
            String writerId = FileLayout.parseIndexName(idx.getFileName().toString());
            if (writerId == null) {
                continue;
            }
            statIndexFiles++;
            List<IndexEntry> entries = new ArrayList<>();
            try {
                IndexFileReader.read(idx, 0, entries, corruptions::add);
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                corruptions.add(new CorruptionReport(idx, -1, "cannot read: " + e));
            }
            for (IndexEntry entry : entries) {
                if (entry instanceof IndexEntry.Sealed s) {
                    sealed.put(writerId + "-" + s.bucketSequence(), s);
                } else if (entry instanceof IndexEntry.Superseded s) {
                    superseded.addAll(s.replaced());
                }
            }
        }
        List<BlockMerge.Source> sources = new ArrayList<>();
        String key = request.key();
        long from = request.fromNanos();
        long to = request.toNanos();
        for (Path p : bucketFiles) {
            FileLayout.BucketName name = FileLayout.parseBucketName(p.getFileName().toString());
            if (name == null) {
                continue;
            }
            if (superseded.contains(new IndexEntry.BucketRef(name.writerId(), name.windowStart(), name.sequence()))
                    || name.windowStart() >= to || name.windowStart() + config.bucketWidthNanos() <= from) {
                statBucketsSkipped++;
                continue;
            }
            IndexEntry.Sealed s = sealed.get(name.writerId() + "-" + name.sequence());
            if (s != null && (s.maxTimestamp() < from || s.minTimestamp() >= to
                    || s.count() == 0 || (key != null && !s.keys().mightContain(key)))) {
                statBucketsSkipped++;
                continue;
            }
            BucketFile file;
            int reportsBefore = corruptions.size();
            try {
                file = BucketFile.open(p, name, corruptions::add);
            } catch (NoSuchFileException e) {
                continue; // removed since the listing (retention, brigade)
            } catch (IOException e) {
                corruptions.add(new CorruptionReport(p, -1, "cannot read: " + e));
                continue;
            }
            if (s != null && !file.sealed() && corruptions.size() == reportsBefore) {
                // Only a damaged trailer or a cut-off end makes a bucket the index saw sealed read
                // as open: a crash cannot, because "sealed" is appended after the trailer.
                corruptions.add(new CorruptionReport(p, Math.min(s.footerOffset(), file.size()),
                        "the index says this bucket was sealed with " + s.fileBytes() + " bytes, but it"
                        + " has " + file.size() + " and no valid trailer: truncated or damaged; its"
                        + " blocks were read by scanning"));
            }
            statBucketsOpened++;
            statBytes += file.bytesRead();
            openFiles.add(file);
            for (var block : file.candidateBlocks(key, from, to)) {
                sources.add(new BlockMerge.Source(file, block));
            }
        }
        return new BlockMerge(sources, request.direction(), (src, out) -> {
            statBlocks++;
            long before = src.file().bytesRead();
            src.file().readBlock(src.block(), request.stream(), key, from, to, out);
            statBytes += src.file().bytesRead() - before;
        });
    }

    private void closeFiles() {
        for (BucketFile f : openFiles) {
            try {
                f.close();
            } catch (IOException e) {
                corruptions.add(new CorruptionReport(f.path(), -1, "cannot close: " + e));
            }
        }
        openFiles.clear();
    }

    @Override
    public ScanStats stats() {
        return new ScanStats(statWindows, statIndexFiles, statBucketsSkipped, statBucketsOpened,
                statBlocks, statBytes, statEvents);
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
