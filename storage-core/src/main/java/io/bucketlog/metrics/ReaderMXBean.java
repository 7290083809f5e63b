package io.bucketlog.metrics;

/**
 * A reader's cache use and reads in JMX, registered as {@code io.bucketlog:type=Reader,name=N}
 * while the reader is open.
 */
public interface ReaderMXBean {

    /** The name in the MBean's object name (the store's first directory, made unique in this JVM). */
    String getName();

    /** Footers of sealed buckets found in the cache. */
    long getFooterCacheHits();

    /** Footers read from their bucket file. */
    long getFooterCacheMisses();

    /** Index buckets whose cached entries were current (the file had not grown). */
    long getIndexCacheHits();

    /** Index buckets read, from the start or from where the cache had stopped. */
    long getIndexCacheMisses();

    /** Bytes read from index buckets (by queries, histograms and tails) and data buckets (by queries and histograms). */
    long getBytesRead();
}
