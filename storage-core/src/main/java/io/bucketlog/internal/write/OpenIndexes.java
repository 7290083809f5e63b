package io.bucketlog.internal.write;

import io.bucketlog.Durability;
import io.bucketlog.WriteErrorListener;
import io.bucketlog.internal.format.IndexHeader;
import io.bucketlog.internal.store.StoreLayout;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A bucket writer's open index buckets, one per stream and index window, each open while any of
 * its window's data buckets is ({@link IndexAppender#openBuckets}): opened with the first data
 * bucket of the window, closed with the last. Single-threaded: the bucket-writer thread's.
 *
 * <p>An index bucket closed and later opened again is continued at the size this writer closed it
 * at, not at the backend's {@code stat}: an object store's {@code stat} lags behind what was
 * appended until it is published. Those sizes are bounded; a forgotten one is continued at its
 * {@code stat} size.
 */
final class OpenIndexes {
    private static final int MAX_REMEMBERED_SIZES = 4096;

    private final StoreLayout layout;
    private final String writerId;
    private final Durability durability;
    private final WriteErrorListener errors;
    /** By stream, then index window start. */
    private final Map<String, Map<Long, IndexAppender>> open = new HashMap<>();
    private final Map<String, Long> closedSizes = new HashMap<>();

    OpenIndexes(StoreLayout layout, String writerId, Durability durability,
                WriteErrorListener errors) {
        this.layout = layout;
        this.writerId = writerId;
        this.durability = durability;
        this.errors = errors;
    }

    /** The window's index bucket, opened (or created, with its name made durable) if it is not. */
    IndexAppender open(StreamState stream, long indexWindow) throws IOException {
        Map<Long, IndexAppender> byWindow = open.computeIfAbsent(stream.name, k -> new HashMap<>());
        IndexAppender index = byWindow.get(indexWindow);
        if (index == null) {
            String name = StoreLayout.indexFile(stream.name, indexWindow, writerId);
            index = IndexAppender.openOrCreate(layout.volume(0), name,
                    new IndexHeader(indexWindow, stream.indexWidth, writerId, stream.name),
                    closedSizes.remove(name));
            if (durability != Durability.OS) {
                try {
                    index.file().sync(); // its name, as for a bucket
                } catch (IOException e) {
                    errors.onError("fsync of the directory of " + index.file().location()
                            + " failed; the index bucket may not survive a power loss", e);
                }
            }
            byWindow.put(indexWindow, index);
        }
        return index;
    }

    /** The window's index bucket if it is open, else {@code null}. */
    IndexAppender find(String stream, long indexWindow) {
        Map<Long, IndexAppender> byWindow = open.get(stream);
        return byWindow == null ? null : byWindow.get(indexWindow);
    }

    /** One data bucket of the window no longer holds its index bucket: the last one closes it. */
    void release(String stream, long indexWindow) {
        IndexAppender index = find(stream, indexWindow);
        if (index != null && --index.openBuckets == 0) {
            close(stream, indexWindow, index);
        }
    }

    /** Closes the window's index bucket if no data bucket holds it (after a failed creation). */
    void closeIfUnused(String stream, long indexWindow) {
        IndexAppender index = find(stream, indexWindow);
        if (index != null && index.openBuckets == 0) {
            close(stream, indexWindow, index);
        }
    }

    void forEach(Consumer<IndexAppender> action) {
        for (Map<Long, IndexAppender> byWindow : open.values()) {
            byWindow.values().forEach(action);
        }
    }

    /** Closes every open index bucket (at shutdown). */
    void closeAll() {
        forEach(this::closeQuietly);
        open.clear();
    }

    private void close(String stream, long indexWindow, IndexAppender index) {
        open.get(stream).remove(indexWindow);
        closeQuietly(index);
    }

    private void closeQuietly(IndexAppender index) {
        AppendFile file = index.file();
        if (!file.isBroken()) {
            if (closedSizes.size() >= MAX_REMEMBERED_SIZES) {
                closedSizes.clear(); // forgotten ones are continued at their stat size
            }
            closedSizes.put(file.name(), file.size());
        }
        try {
            index.close();
        } catch (IOException e) {
            closedSizes.remove(file.name());
            errors.onError("cannot close index " + index.file().location(), e);
        }
    }
}
