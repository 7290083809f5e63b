package io.bucketlog.viewer;

import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.reader.Histogram;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/histogram}: events per time bin of the filter's range (the last 24 hours by
 * default), about {@code bins} bins of a round width. Without a key or a level, text or
 * attribute filter the counts come from the buckets' block tables ({@link
 * io.bucketlog.reader.Query#histogram}); with one, every matching candidate event in range is
 * decoded under a {@link ScanBudget}, and a spent budget answers {@code "truncated": true}
 * without counts.
 */
final class HistogramApi {
    private static final long MS = 1_000_000L;
    /** Bin widths a person reads easily, in milliseconds; wider ones are whole days. */
    private static final long[] NICE_MILLIS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000,
        5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
        3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000};

    private final BucketlogReader reader;
    private final ViewerOptions options;
    private final JsonResponses json;

    HistogramApi(BucketlogReader reader, ViewerOptions options, JsonResponses json) {
        this.reader = reader;
        this.options = options;
        this.json = json;
    }

    void histogram(Context ctx) {
        long started = System.nanoTime();
        SearchFilter f = SearchFilter.of(ctx);
        long to = f.toNanos() != null ? f.toNanos() : System.currentTimeMillis() * MS;
        long from = f.fromNanos() != null ? f.fromNanos() : Math.max(0, to - 86_400_000L * MS);
        SearchFilter ranged = new SearchFilter(f.stream(), f.key(), f.level(), from, to, f.text(),
                f.regex(), f.attributes());
        int bins = SearchApi.intParam(ctx, "bins", 120, 1, 1000);
        long binNanos = niceBinMillis(Math.max(1, to - from) / bins) * MS;
        ScanBudget budget = ScanBudget.forRequest(options);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("fromMillis", from / MS);
        out.put("toMillis", to / MS);
        out.put("binMillis", binNanos / MS);
        try {
            Histogram h = ranged.applyTo(reader.query(f.stream()), budget).histogram(binNanos);
            out.put("counts", h.counts());
            out.put("total", h.total());
            out.put("blocksCounted", h.blocksCounted());
            out.put("blocksDecoded", h.blocksDecoded());
            out.put("truncated", false);
        } catch (ScanBudget.Exhausted e) {
            out.put("counts", null);
            out.put("truncated", true);
            out.put("reason", "the histogram stopped: it " + e.getMessage()
                    + "; narrow the time range or the filter");
        }
        out.put("tookMillis", (System.nanoTime() - started) / MS);
        json.send(ctx, 200, out);
    }

    /** The smallest round width of at least {@code nanos}. */
    static long niceBinMillis(long nanos) {
        long ms = Math.max(1, (nanos + MS - 1) / MS);
        for (long n : NICE_MILLIS) {
            if (n >= ms) {
                return n;
            }
        }
        long day = NICE_MILLIS[NICE_MILLIS.length - 1];
        return (ms + day - 1) / day * day;
    }
}
