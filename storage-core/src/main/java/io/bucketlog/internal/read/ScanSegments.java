package io.bucketlog.internal.read;

import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.index.WindowBuckets;
import io.bucketlog.internal.store.StoreLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts a scan into segments that do not overlap in time, so that each is merged on its own and
 * a scan that stops early never opens the rest. Without roll-ups a segment is one index window.
 * A roll-up overlaps every index window its events span, and a late event written after the
 * roll-up lies in its window's directory beside it: such windows and the roll-ups overlapping
 * them are one segment (overlapping roll-ups are chained), merged together, so events come in
 * order and a copy of an event in a window and in a roll-up is returned once.
 */
final class ScanSegments {
    private ScanSegments() {
    }

    /**
     * A part of the scan: index windows and roll-ups merged together.
     *
     * @param windows index window starts
     * @param rollUps roll-ups whose events lie in these windows' time
     */
    record Segment(long start, List<Long> windows, List<WindowBuckets.Bucket> rollUps) {
    }

    /**
     * @param windows the index windows the scan reads, ascending
     * @param rollUps the live roll-ups of the stream
     * @param backward whether the scan runs newest first (segments then come newest first)
     */
    static List<Segment> of(long[] windows, List<WindowBuckets.Bucket> rollUps, long indexWindow,
                            long from, long to, boolean backward) {
        List<Span> spans = new ArrayList<>();
        for (WindowBuckets.Bucket r : rollUps) {
            IndexEntry.Sealed s = r.sealed();
            long first = s != null ? s.minTimestamp() : r.name().windowStart();
            long last = s != null ? s.maxTimestamp()
                    : r.name().windowStart() + r.name().rollUpWidthNanos() - 1;
            if ((s != null && s.count() == 0) || last < from || first >= to) {
                continue; // nothing of it in the range
            }
            spans.add(new Span(StoreLayout.windowStart(first, indexWindow),
                    StoreLayout.windowStart(last, indexWindow) + indexWindow, r));
        }
        spans.sort(Comparator.comparingLong(Span::start));
        List<Segment> out = new ArrayList<>();
        int w = 0;
        int i = 0;
        while (i < spans.size()) {
            long start = spans.get(i).start();
            long end = spans.get(i).end();
            List<WindowBuckets.Bucket> members = new ArrayList<>();
            while (i < spans.size() && spans.get(i).start() < end) {
                end = Math.max(end, spans.get(i).end());
                members.add(spans.get(i).bucket());
                i++;
            }
            for (; w < windows.length && windows[w] < start; w++) {
                out.add(new Segment(windows[w], List.of(windows[w]), List.of()));
            }
            List<Long> covered = new ArrayList<>();
            for (; w < windows.length && windows[w] < end; w++) {
                covered.add(windows[w]);
            }
            out.add(new Segment(start, covered, members));
        }
        for (; w < windows.length; w++) {
            out.add(new Segment(windows[w], List.of(windows[w]), List.of()));
        }
        if (backward) {
            Collections.reverse(out);
        }
        return out;
    }

    private record Span(long start, long end, WindowBuckets.Bucket bucket) {
    }
}
