package io.bucketlog.logback;

import java.util.Iterator;
import java.util.List;
import org.slf4j.Marker;

/**
 * Renders an event's markers into the {@link io.bucketlog.LogAttributes#MARKER} attribute: each
 * marker as its name followed by its references in brackets, recursively, markers separated by
 * commas: {@code AUDIT[SECURITY,PII],BILLING}. A reader splits it by tracking bracket depth.
 */
final class MarkerText {
    /** SLF4J refuses reference cycles; the bound only guards against a hostile Marker class. */
    private static final int MAX_DEPTH = 16;

    private MarkerText() {
    }

    static void append(List<Marker> markers, StringBuilder out) {
        for (int i = 0; i < markers.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            append(markers.get(i), out, 0);
        }
    }

    private static void append(Marker marker, StringBuilder out, int depth) {
        out.append(marker.getName());
        if (depth >= MAX_DEPTH || !marker.hasReferences()) {
            return;
        }
        out.append('[');
        Iterator<Marker> refs = marker.iterator();
        boolean first = true;
        while (refs.hasNext()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            append(refs.next(), out, depth + 1);
        }
        out.append(']');
    }
}
