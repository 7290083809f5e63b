package io.bucketlog.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.EventScan;
import io.bucketlog.ScanRequest;
import io.bucketlog.Store;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stream's events read back by a scan, for the tests of every backend (this package is the
 * test-jar's): what they are, and whether each is there once. A scan that meets damage fails.
 */
public final class StoredEvents {
    private StoredEvents() {
    }

    /** The bodies of a stream's events, in scan order. */
    public static List<String> bodies(Store store, String stream) {
        List<String> out = new ArrayList<>();
        try (EventScan scan = store.scan(ScanRequest.all(stream))) {
            scan.forEachRemaining(e -> out.add(e.bodyText()));
            assertThat(scan.corruptions()).isEmpty();
        }
        return out;
    }

    /** The bodies of a stream's events, each checked to be there exactly once. */
    public static Set<String> bodiesOnce(Store store, String stream, String what) {
        Map<String, Integer> seen = new HashMap<>();
        try (EventScan scan = store.scan(ScanRequest.all(stream))) {
            scan.forEachRemaining(e -> seen.merge(e.bodyText(), 1, Integer::sum));
            assertThat(scan.corruptions()).as(what).isEmpty();
        }
        seen.forEach((body, n) -> assertThat(n).as(what + ": copies of " + body).isEqualTo(1));
        return seen.keySet();
    }
}
