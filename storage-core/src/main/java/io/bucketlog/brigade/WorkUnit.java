package io.bucketlog.brigade;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * One merge: these inputs of one window become one merged bucket.
 *
 * @param stream the stream
 * @param indexWindowStart the directory of the merged bucket, its commit and its claim: the index
 *        window the inputs are in, or the roll-up area for a unit wider than an index window
 *        (whose inputs may lie in many directories, each given by the input)
 * @param windowStart the merged bucket's window
 * @param widthNanos the merged bucket's width: a bucket width, or the index window for a roll-up
 * @param rollUp whether the merged bucket covers a whole index window or more (its header says so)
 * @param inputs the buckets merged, sorted by file name
 */
record WorkUnit(String stream, long indexWindowStart, long windowStart, long widthNanos,
                boolean rollUp, List<ListedBucket> inputs) {
    WorkUnit {
        inputs = inputs.stream().sorted(Comparator.comparing(ListedBucket::fileName)).toList();
    }

    /**
     * The unit's name in claims and commits: a hash of the stream, the window and the sorted
     * input names, so that every brigade that picks the same inputs picks the same name and
     * exactly one of them can commit.
     */
    String hex() {
        StringBuilder s = new StringBuilder().append(stream).append('\n').append(windowStart)
                .append('\n').append(widthNanos);
        for (ListedBucket b : inputs) {
            s.append('\n').append(b.fileName());
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(
                    s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    long inputBytes() {
        return inputs.stream().mapToLong(ListedBucket::bytes).sum();
    }
}
