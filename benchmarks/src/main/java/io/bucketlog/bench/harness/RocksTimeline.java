package io.bucketlog.bench.harness;

import java.nio.file.Path;
import java.util.Arrays;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The timeline baseline: RocksDB with key = user (8 bytes) + timestamp (8, big-endian) +
 * sequence (8, big-endian), so one user's events are contiguous and time-ordered; WAL on, batches
 * of 1000, LZ4 like Bucketlog, a 64 MiB block cache (Bucketlog's reader has a 64 MiB footer
 * cache) and a prefix Bloom filter on the user.
 */
final class RocksTimeline implements TimelineChild.Queries, AutoCloseable {
    private static final int BATCH = 1000;

    static {
        RocksDB.loadLibrary(); // before any field below creates a native object
    }

    private final LRUCache cache = new LRUCache(64L << 20);
    private final org.rocksdb.BloomFilter filter = new org.rocksdb.BloomFilter(10);
    private final Options options;
    private final RocksDB db;
    private final ReadOptions prefixRead = new ReadOptions().setPrefixSameAsStart(true);

    RocksTimeline(Path dir) throws RocksDBException {
        options = new Options()
                .setCreateIfMissing(true)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .useFixedLengthPrefixExtractor(8)
                .setTableFormatConfig(new BlockBasedTableConfig()
                        .setBlockCache(cache)
                        .setFilterPolicy(filter));
        db = RocksDB.open(options, dir.toString());
    }

    /** Writes every event; returns how many. The WAL is on: the default write options. */
    long ingest(TimelineData data) throws RocksDBException {
        long n = 0;
        byte[] key = new byte[24];
        try (WriteOptions wo = new WriteOptions(); WriteBatch batch = new WriteBatch()) {
            while (data.next()) {
                System.arraycopy(data.key, 0, key, 0, 8);
                putLong(key, 8, data.timestampNanos);
                putLong(key, 16, data.sequence);
                batch.put(key, data.body);
                if (++n % BATCH == 0) {
                    db.write(wo, batch);
                    batch.clear();
                }
            }
            if (batch.count() > 0) {
                db.write(wo, batch);
            }
        }
        return n;
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static boolean samePrefix(byte[] key, byte[] prefix) {
        return key.length >= 8 && Arrays.equals(key, 0, 8, prefix, 0, 8);
    }

    @Override
    public int latest(int user, long[] stats) {
        byte[] prefix = new byte[8];
        TimelineData.keyBytes(user, prefix);
        byte[] last = Arrays.copyOf(prefix, 24);
        Arrays.fill(last, 8, 24, (byte) 0xFF);
        int n = 0;
        try (RocksIterator it = db.newIterator(prefixRead)) {
            for (it.seekForPrev(last); it.isValid() && n < TimelineChild.LATEST; it.prev()) {
                if (!samePrefix(it.key(), prefix)) {
                    break;
                }
                it.value();
                n++;
            }
        }
        return n;
    }

    @Override
    public int range(int user, long from, long to, long[] stats) {
        byte[] start = new byte[24];
        TimelineData.keyBytes(user, start);
        putLong(start, 8, from);
        byte[] end = Arrays.copyOf(start, 24);
        putLong(end, 8, to);
        int n = 0;
        try (RocksIterator it = db.newIterator(prefixRead)) {
            for (it.seek(start); it.isValid(); it.next()) {
                if (Arrays.compareUnsigned(it.key(), end) >= 0) {
                    break;
                }
                it.value();
                n++;
            }
        }
        return n;
    }

    @Override
    public long[] fullScan() {
        long n = 0;
        long bytes = 0;
        try (ReadOptions all = new ReadOptions().setTotalOrderSeek(true);
             RocksIterator it = db.newIterator(all)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                bytes += it.key().length + it.value().length;
                n++;
            }
        }
        return new long[] {n, bytes};
    }

    @Override
    public void close() {
        prefixRead.close();
        db.close();
        options.close();
        filter.close();
        cache.close();
    }
}
