package io.bucketlog.backend.s3;

import io.bucketlog.spi.ObjectVersion;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one look at an object found: a whole object (its ETag) or a growing one (its
 * incarnation and parts). Nothing of it is kept that a later look cannot validate: a whole
 * object is read with {@code If-Match} on its ETag, and parts are immutable under their keys.
 *
 * @param name the object's name
 * @param etag the whole object's ETag, or the growing head's
 * @param incarnation the growing object's incarnation, or null for a whole object
 * @param parts the growing object's parts, empty for a whole object
 * @param size its size in bytes
 * @param lastModified when it last changed, on this host's clock: the head's stamp, or its newest
 *     part's
 */
record ObjectState(String name, String etag, String incarnation, List<ObjectLayout.Part> parts, long size,
                   Instant lastModified) {

    boolean growing() {
        return incarnation != null;
    }

    ObjectVersion version() {
        if (!growing()) {
            return new ObjectVersion(name, size, etag);
        }
        String last = parts.isEmpty() ? "0" : parts.get(parts.size() - 1).etag();
        return new ObjectVersion(name, size, "parts-" + incarnation + "-" + parts.size() + "-" + last);
    }

    /** Looks at {@code name} now: a HEAD, and for a growing object a listing of its parts. */
    static Optional<ObjectState> look(BucketClient client, ObjectLayout layout, String name) throws IOException {
        Optional<BucketClient.Head> head = client.head(layout.headKey(name));
        if (head.isEmpty()) {
            return Optional.empty();
        }
        String incarnation = head.get().metadata().get(BucketClient.GROWING);
        if (incarnation == null) {
            return Optional.of(new ObjectState(name, head.get().etag(), null, List.of(), head.get().size(),
                    head.get().lastModified()));
        }
        String partsPrefix = layout.partsPrefix(name, incarnation);
        List<BucketClient.Listed> listed = client.listAll(partsPrefix);
        List<ObjectLayout.Part> parts = ObjectLayout.chain(partsPrefix, listed);
        long size = parts.isEmpty() ? 0 : parts.get(parts.size() - 1).end();
        Instant changed = head.get().lastModified();
        for (BucketClient.Listed part : listed.subList(0, parts.size())) { // the chain is the listing's start
            changed = part.lastModified().isAfter(changed) ? part.lastModified() : changed;
        }
        return Optional.of(new ObjectState(name, head.get().etag(), incarnation, List.copyOf(parts), size,
                changed));
    }
}
