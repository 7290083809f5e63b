package io.bucketlog.internal.read;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.internal.index.BucketPlace;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StoreObject;
import io.bucketlog.internal.format.BlockDecoder;
import io.bucketlog.internal.format.BlockEntry;
import io.bucketlog.internal.format.BucketFooter;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.BucketTrailer;
import io.bucketlog.internal.format.ByteSource;
import io.bucketlog.internal.format.CorruptDataException;
import io.bucketlog.internal.format.Frame;
import java.io.IOException;
import io.bucketlog.spi.ReadableObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A data bucket opened for reading. A sealed bucket is read through its footer; an open or crashed
 * one (no valid trailer) by scanning its block frames up to the torn tail. A damaged header, footer
 * or block is reported and worked around: the header's facts are also in the file name, and a
 * damaged footer means scanning the blocks instead.
 */
public final class BucketFile implements AutoCloseable {
    private final StoreObject object;
    /** {@link #location()}, made when first needed: most opens never report anything. */
    private String path;
    /** Open while blocks may be read; released (null) to bound open files, reopened on demand. */
    private ReadableObject channel;
    private final StoreLayout.BucketName name;
    private final long size;
    private final BucketFooter footer;
    private final List<BlockEntry> blocks;
    private final Consumer<CorruptionReport> reports;
    private long bytesRead;
    /** The header, when this file was opened by reading it and it is valid; else null. */
    private BucketHeader header;

    private BucketFile(StoreObject object, ReadableObject channel, StoreLayout.BucketName name, long size,
                       BucketFooter footer, List<BlockEntry> blocks,
                       Consumer<CorruptionReport> reports, long bytesRead) {
        this.object = object;
        this.channel = channel;
        this.name = name;
        this.size = size;
        this.footer = footer;
        this.blocks = blocks;
        this.reports = reports;
        this.bytesRead = bytesRead;
    }

    /** Opens a bucket wherever it lies ({@link BucketPlace#ANY}) and lists its blocks. */
    public static BucketFile open(StoreObject object, StoreLayout.BucketName name,
                                  Consumer<CorruptionReport> reports) throws IOException {
        return open(object, name, BucketPlace.ANY, reports);
    }

    /**
     * A bucket's header alone, or {@code null} if it has no valid one (which opening it reports):
     * a bucket's real width, for pruning by time where the stream's configuration may be wrong.
     */
    public static BucketHeader readHeader(StoreObject object) throws IOException {
        try (ReadableObject ch = object.openRead()) {
            byte[] head = readAt(ch, 0, (int) Math.min(ch.size(), BucketHeader.MAX_BYTES));
            try {
                return BucketHeader.readFrom(new ByteSource(head));
            } catch (CorruptDataException e) {
                return null;
            }
        }
    }

    /**
     * Opens a bucket and lists its blocks.
     *
     * @param name the identity parsed from the file name
     * @param place where it must lie to be read
     * @param reports receives damage found while reading
     * @throws IOException if it is a misplaced copy (see {@link BucketPlace}): not read
     */
    public static BucketFile open(StoreObject object, StoreLayout.BucketName name, BucketPlace place,
                                  Consumer<CorruptionReport> reports) throws IOException {
        ReadableObject ch = object.openRead();
        String path = object.location();
        try {
            long size = ch.size();
            long[] read = {0};
            long dataStart = 0;
            BucketHeader header = null;
            Long sealKey = null; // unknown when the header is damaged
            byte[] head = readAt(ch, 0, (int) Math.min(size, BucketHeader.MAX_BYTES));
            read[0] += head.length;
            try {
                ByteSource in = new ByteSource(head);
                BucketHeader h = BucketHeader.readFrom(in);
                header = h;
                if (!h.writerId().equals(name.writerId()) || h.bucketSequence() != name.sequence()) {
                    throw new CorruptDataException("header does not match the file name");
                }
                dataStart = in.position();
                sealKey = h.sealKey();
            } catch (CorruptDataException e) {
                if (size > 0) { // an empty file is a bucket whose creation was cut short
                    reports.accept(new CorruptionReport(path, 0, "bucket header: " + e.getMessage()));
                }
            }
            String misplaced = place.problem(object.name(), name, header);
            if (misplaced != null) {
                throw new IOException(path + ": a misplaced bucket, not read: " + misplaced);
            }
            BucketTrailer trailer = trailer(ch, size, dataStart, sealKey, read);
            if (trailer != null) {
                byte[] f = readAt(ch, trailer.footerOffset(), trailer.footerLength());
                read[0] += f.length;
                String problem;
                try {
                    if (Frame.crc(f, 0, f.length) != trailer.footerCrc()) {
                        throw new CorruptDataException("CRC mismatch");
                    }
                    BucketFooter footer = BucketFooter.readFrom(new ByteSource(f), size);
                    return new BucketFile(object, ch, name, size, footer, footer.blocks(), reports,
                            read[0]).withHeader(header);
                } catch (CorruptDataException e) {
                    problem = e.getMessage();
                }
                // Either a sealed bucket whose footer is damaged, or an open bucket whose last
                // bytes happen to look like a trailer. In the first case the blocks end exactly
                // where the footer starts.
                List<BlockEntry> blocks = new ArrayList<>();
                List<CorruptionReport> damage = new ArrayList<>();
                long end = scanBlocks(ch, path, dataStart, trailer.footerOffset(), false, damage::add,
                        blocks, read);
                if (end == trailer.footerOffset()) {
                    damage.forEach(reports);
                    reports.accept(new CorruptionReport(path, trailer.footerOffset(),
                            "footer: " + problem + "; reading the blocks without it"));
                    return new BucketFile(object, ch, name, size, null, blocks, reports, read[0])
                            .withHeader(header);
                }
            }
            List<BlockEntry> blocks = new ArrayList<>();
            scanBlocks(ch, path, dataStart, size, false, reports, blocks, read);
            return new BucketFile(object, ch, name, size, null, blocks, reports, read[0])
                    .withHeader(header);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Where the blocks of a sealed bucket end (its footer's offset), or -1 if the file does not
     * end with a trailer that repeats the header's seal key and whose footer checks out: an open
     * bucket, or a damaged one. The last bytes of an open bucket are event data and may look like
     * a trailer, by chance or on purpose; see {@link BucketTrailer}.
     */
    public static long sealedBlocksEnd(ReadableObject ch, long size) throws IOException {
        BucketHeader header;
        long dataStart;
        try {
            ByteSource in = new ByteSource(readAt(ch, 0, (int) Math.min(size, BucketHeader.MAX_BYTES)));
            header = BucketHeader.readFrom(in);
            dataStart = in.position();
        } catch (CorruptDataException e) {
            return -1;
        }
        BucketTrailer trailer = trailer(ch, size, dataStart, header.sealKey(), new long[1]);
        if (trailer == null) {
            return -1;
        }
        byte[] f = readAt(ch, trailer.footerOffset(), trailer.footerLength());
        return f.length == trailer.footerLength() && Frame.crc(f, 0, f.length) == trailer.footerCrc()
                ? trailer.footerOffset() : -1;
    }

    /**
     * The trailer at the end of the file, or {@code null} if there is none that belongs to this
     * bucket: one that repeats the header's seal key (when the header could be read) and whose
     * footer starts after the header and is not larger than {@link BucketFooter#MAX_BYTES} (a
     * length read from a file is not allocated unchecked). Anything else is event data that looks
     * like a trailer.
     */
    private static BucketTrailer trailer(ReadableObject ch, long size, long dataStart, Long sealKey,
                                         long[] read) throws IOException {
        if (size < dataStart + BucketTrailer.BYTES) {
            return null;
        }
        byte[] tail = readAt(ch, size - BucketTrailer.BYTES, BucketTrailer.BYTES);
        read[0] += tail.length;
        BucketTrailer trailer = BucketTrailer.parse(tail, size);
        if (trailer == null || trailer.footerOffset() < dataStart
                || trailer.footerLength() > BucketFooter.MAX_BYTES
                || (sealKey != null && trailer.sealKey() != sealKey)) {
            return null;
        }
        return trailer;
    }

    /** Lists the valid blocks in {@code [start, end)}; returns where they end. */
    private static long scanBlocks(ReadableObject ch, String path, long start, long end, boolean endIsFinal,
                                   Consumer<CorruptionReport> reports, List<BlockEntry> blocks,
                                   long[] read) throws IOException {
        FrameScanner scanner = new FrameScanner(ch, path, Frame.BLOCK_MAGIC,
                BlockDecoder.MAX_UNCOMPRESSED, reports);
        long validEnd = scanner.scan(start, end, endIsFinal, (offset, body, off, len) -> {
            try {
                BlockDecoder.Header h = BlockDecoder.header(body, off, len);
                blocks.add(new BlockEntry(offset, Frame.HEADER_BYTES + len,
                        h.minTimestamp(), h.maxTimestamp(), h.count()));
            } catch (CorruptDataException e) {
                reports.accept(new CorruptionReport(path, offset, "block: " + e.getMessage()));
            }
        });
        read[0] += scanner.bytesRead();
        return validEnd;
    }

    /**
     * Opens a sealed bucket whose footer the caller already has (footers never change once
     * written, so readers cache them): reads nothing until a block is asked for.
     *
     * @param fileSize the size the bucket had when the footer was read
     * @return the bucket, or {@code null} if the file now has another size: it was replaced, and
     *     the cached footer must not be trusted
     */
    public static BucketFile openSealed(StoreObject object, StoreLayout.BucketName name,
                                        BucketFooter footer, long fileSize,
                                        Consumer<CorruptionReport> reports) throws IOException {
        return openSealed(object, object.openRead(), name, footer, fileSize, reports);
    }

    /**
     * {@link #openSealed(StoreObject, StoreLayout.BucketName, BucketFooter, long, Consumer)} on a
     * handle the caller opened (a reader's kept handle): the file takes it and closes it.
     */
    public static BucketFile openSealed(StoreObject object, ReadableObject ch,
                                        StoreLayout.BucketName name, BucketFooter footer,
                                        long fileSize, Consumer<CorruptionReport> reports)
            throws IOException {
        try {
            if (ch.size() != fileSize) {
                ch.close();
                return null;
            }
            return new BucketFile(object, ch, name, fileSize, footer, footer.blocks(), reports, 0);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private ReadableObject channel() throws IOException {
        if (channel == null) {
            channel = object.openRead();
        }
        return channel;
    }

    /** Whether the file is open now. */
    public boolean isOpen() {
        return channel != null;
    }

    /**
     * Closes the file but keeps what was read of it: a later block read opens it again. Lets a
     * scan over many buckets bound its open files.
     */
    public void release() throws IOException {
        ReadableObject ch = channel;
        channel = null;
        if (ch != null) {
            ch.close();
        }
    }

    /** The object read. */
    public StoreObject object() {
        return object;
    }

    /** Where it is, for reports. */
    public String location() {
        if (path == null) {
            path = object.location();
        }
        return path;
    }

    public StoreLayout.BucketName name() {
        return name;
    }

    private BucketFile withHeader(BucketHeader h) {
        this.header = h;
        return this;
    }

    /**
     * The bucket's header, or {@code null} if it is damaged or was not read (a bucket opened
     * through a cached footer).
     */
    public BucketHeader header() {
        return header;
    }

    /** Whether the bucket has a valid footer. */
    public boolean sealed() {
        return footer != null;
    }

    /** The footer, or {@code null} for an open or crashed bucket. */
    public BucketFooter footer() {
        return footer;
    }

    /** The blocks, in file order. */
    public List<BlockEntry> blocks() {
        return blocks;
    }

    public long size() {
        return size;
    }

    public long bytesRead() {
        return bytesRead;
    }

    /**
     * The blocks that may hold {@code key} (all blocks if {@code key} is null or the bucket has no
     * footer) and overlap {@code [from, to)}.
     */
    public List<BlockEntry> candidateBlocks(String key, long from, long to) {
        if (key != null && footer != null) {
            int k = footer.keyIndex(key);
            if (k < 0 || footer.keyMax()[k] < from || footer.keyMin()[k] >= to) {
                return new ArrayList<>();
            }
            int[] keyBlocks = footer.keyBlocks()[k];
            // With all of the key's records in the range, each of its blocks holds one there: the
            // blocks' spans (a cache miss each in a large footer) need not be read.
            boolean all = footer.keyMin()[k] >= from && footer.keyMax()[k] < to;
            long[] spans = footer.blockSpans();
            List<BlockEntry> out = new ArrayList<>(keyBlocks.length);
            for (int b : keyBlocks) {
                if (all || spans[2 * b + 1] >= from && spans[2 * b] < to) {
                    out.add(blocks.get(b));
                }
            }
            return out;
        }
        List<BlockEntry> out = new ArrayList<>();
        for (BlockEntry e : blocks) {
            if (e.maxTimestamp() >= from && e.minTimestamp() < to) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Reads and decodes one block, appending the matching events to {@code out}, each with the
     * event id its record holds (a format-1 block's records get this bucket's writer). A damaged
     * block is reported and contributes nothing.
     *
     * @return whether the appended events are already in (timestamp, writer, sequence) order
     *         ({@link BlockDecoder#decode})
     */
    public boolean readBlock(BlockEntry block, String stream, String key, long from, long to,
                             List<Event> out) throws IOException {
        byte[] frame = readAt(channel(), block.offset(), block.length());
        bytesRead += frame.length;
        int before = out.size();
        try {
            int len = checkFrame(block, frame);
            return BlockDecoder.decode(frame, Frame.HEADER_BYTES, len, stream, name.writerId(), key,
                    from, to, out);
        } catch (CorruptDataException e) {
            out.subList(before, out.size()).clear();
            reports.accept(new CorruptionReport(location(), block.offset(),
                    "block: " + e.getMessage()));
            return true;
        }
    }

    /**
     * Reads one block as {@link #readBlock} does, adding its matching records to {@code run}
     * without building their events yet ({@link DecodedRun}). A damaged block is reported and
     * adds nothing.
     *
     * @return whether the added records are already in (timestamp, writer, sequence) order
     */
    boolean readRecords(BlockEntry block, String stream, String key, long from, long to,
                        DecodedRun run) throws IOException {
        byte[] frame = readAt(channel(), block.offset(), block.length());
        bytesRead += frame.length;
        try {
            int len = checkFrame(block, frame);
            return run.add(BlockDecoder.open(frame, Frame.HEADER_BYTES, len, stream, name.writerId()),
                    key, from, to);
        } catch (CorruptDataException e) {
            reports.accept(new CorruptionReport(location(), block.offset(),
                    "block: " + e.getMessage()));
            return true;
        }
    }

    /** Checks a block frame against its footer entry and its CRC; returns its body's length. */
    private static int checkFrame(BlockEntry block, byte[] frame) {
        if (frame.length != block.length()) {
            throw new CorruptDataException("block runs past the end of the file");
        }
        if (ByteSource.getInt(frame, 0) != Frame.BLOCK_MAGIC) {
            throw new CorruptDataException("bad block magic");
        }
        int len = ByteSource.getInt(frame, 4);
        if (len != frame.length - Frame.HEADER_BYTES) {
            throw new CorruptDataException("block length does not match the footer");
        }
        if (Frame.crc(frame, Frame.HEADER_BYTES, len) != ByteSource.getInt(frame, 8)) {
            throw new CorruptDataException("block CRC mismatch");
        }
        return len;
    }

    /**
     * The fixed fields of a block (codec, sizes, count, time range) without reading its payload.
     *
     * @throws CorruptDataException if they do not decode
     */
    public BlockDecoder.Header blockHeader(BlockEntry block) throws IOException {
        int n = Math.min(block.length(), Frame.HEADER_BYTES + BlockDecoder.HEADER_BYTES);
        byte[] b = readAt(channel(), block.offset(), n);
        bytesRead += b.length;
        if (b.length < Frame.HEADER_BYTES + BlockDecoder.HEADER_BYTES) {
            throw new CorruptDataException("block header runs past the end of the file");
        }
        return BlockDecoder.header(b, Frame.HEADER_BYTES, b.length - Frame.HEADER_BYTES);
    }

    /** Up to {@code len} bytes at {@code pos}: fewer at the end of the object. */
    public static byte[] readAt(ReadableObject ch, long pos, int len) throws IOException {
        byte[] b = new byte[len];
        int n = ch.read(pos, b, 0, len);
        if (n < len) {
            byte[] shorter = new byte[n];
            System.arraycopy(b, 0, shorter, 0, n);
            return shorter;
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        release();
    }
}
