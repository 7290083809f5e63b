/**
 * Inspection of a store, for tools ({@code bucketlog stats}, {@code bucketlog verify}): what
 * each index window of a stream holds, bucket by bucket, and a check of every object a query can
 * touch, by the rules a query reads it with, with each damaged place's location. Read-only; it
 * goes through the same bucket catalog as queries, so it sees what they see.
 */
package io.bucketlog.inspect;
