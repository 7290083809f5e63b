package io.bucketlog.backend.s3;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a name's bytes are kept under the storage's prefix.
 *
 * <pre>
 *   {prefix}/s/w/f                          the head: the whole object, or, while it grows, an
 *                                           empty object with metadata bucketlog-growing=INC
 *   {prefix}/s/w/.f.parts/INC/0000000000000000   part: bytes [0, its size)
 *   {prefix}/s/w/.f.parts/INC/00000000000a3f20   part: bytes [0xa3f20, 0xa3f20 + its size)
 * </pre>
 *
 * <p>A growing object is the concatenation of its parts in key order (the key is the part's first
 * byte's offset in 16 hex digits, so key order is offset order), as far as they follow on from
 * each other without a gap. INC is a random incarnation made by {@code create}, so the parts of a
 * deleted object, should any be left, never join a new object of the same name. The
 * {@code .f.parts} segment starts with {@code .}, which no name may, so no name reaches a part
 * and listings hide them.
 */
final class ObjectLayout {
    private final S3Location location;

    ObjectLayout(S3Location location) {
        this.location = location;
    }

    S3Location location() {
        return location;
    }

    String headKey(String name) {
        return location.key(name);
    }

    /** The key prefix of every incarnation's parts of {@code name}. */
    String allPartsPrefix(String name) {
        int slash = name.lastIndexOf('/');
        String dir = slash < 0 ? "" : name.substring(0, slash + 1);
        return location.key(dir + "." + name.substring(slash + 1) + ".parts") + "/";
    }

    String partsPrefix(String name, String incarnation) {
        return allPartsPrefix(name) + incarnation + "/";
    }

    String partKey(String name, String incarnation, long offset) {
        return partsPrefix(name, incarnation) + String.format("%016x", offset);
    }

    /** A part of a growing object: bytes [start, start + size). */
    record Part(long start, long size, String key, String etag) {
        long end() {
            return start + size;
        }
    }

    /**
     * The parts listed under {@code partsPrefix} that make the object: from offset 0, each
     * starting where the one before ends. Anything after a gap is not (yet) part of it.
     */
    static List<Part> chain(String partsPrefix, List<BucketClient.Listed> listed) {
        List<Part> parts = new ArrayList<>();
        long next = 0;
        for (BucketClient.Listed l : listed) {
            String tail = l.key().substring(partsPrefix.length());
            long start;
            try {
                start = tail.length() == 16 ? Long.parseUnsignedLong(tail, 16) : -1;
            } catch (NumberFormatException e) {
                start = -1;
            }
            if (start != next || l.size() == 0) {
                break;
            }
            parts.add(new Part(start, l.size(), l.key(), l.etag()));
            next += l.size();
        }
        return parts;
    }
}
