package io.bucketlog.brigade;

import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.Frame;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.IndexHeader;
import io.bucketlog.spi.AppendableObject;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A brigade run's own index buckets, {@code index-<brigadeId>.idx}, one per window it merged in,
 * on the first volume: the usual "opened" and "sealed" entries of its merged buckets, so that a
 * reader checks a merged bucket exactly as any writer's. Written in the format of
 * {@link IndexHeader} and {@link IndexEntry}, one frame per entry, as a writer's.
 */
final class BrigadeIndex implements AutoCloseable {
    private final Storage storage;
    private final String brigadeId;
    private final Map<String, AppendableObject> open = new HashMap<>();
    private final ByteSink scratch = new ByteSink(512);

    BrigadeIndex(Storage storage, String brigadeId) {
        this.storage = storage;
        this.brigadeId = brigadeId;
    }

    static String name(String prefix, String writerId) {
        return prefix + "index-" + writerId + ".idx";
    }

    void append(String stream, long indexWindowStart, long indexWidthNanos, IndexEntry entry)
            throws IOException {
        String prefix = EngineView.windowPrefix(stream, indexWindowStart);
        AppendableObject out = open.get(prefix);
        if (out == null) {
            out = storage.create(name(prefix, brigadeId));
            open.put(prefix, out);
            scratch.clear();
            new IndexHeader(indexWindowStart, indexWidthNanos, brigadeId, stream).writeTo(scratch);
            out.append(scratch.array(), 0, scratch.size());
        }
        scratch.clear();
        int at = Frame.open(scratch);
        entry.writeTo(scratch);
        Frame.close(scratch, at, Frame.ENTRY_MAGIC);
        out.append(scratch.array(), 0, scratch.size());
        // The commit that follows must not reach storage before the entries it relies on.
        out.sync();
    }

    /** The header a commit in that window carries. */
    IndexHeader commitHeader(String stream, long indexWindowStart, long indexWidthNanos) {
        return new IndexHeader(indexWindowStart, indexWidthNanos, brigadeId, stream);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (AppendableObject o : open.values()) {
            try {
                o.seal();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
