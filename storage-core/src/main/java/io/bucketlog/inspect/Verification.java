package io.bucketlog.inspect;

/**
 * What a verification of one stream read; the damage it found went to its report consumer.
 *
 * @param dataBuckets data buckets checked
 * @param indexFiles index files checked
 * @param events events in readable blocks
 */
public record Verification(long dataBuckets, long indexFiles, long events) {
}
