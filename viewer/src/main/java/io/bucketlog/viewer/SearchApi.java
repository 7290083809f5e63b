package io.bucketlog.viewer;

import io.bucketlog.Event;
import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.reader.InvalidCursorException;
import io.bucketlog.reader.Query;
import io.bucketlog.reader.QueryResult;
import io.bucketlog.reader.QueryStats;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/streams} and {@code /api/query}: pages of events, newest first, continued by the
 * {@code cursor} of the previous page. A page with a key or a filter reads under a {@link ScanBudget}: when the
 * budget is spent it answers with what it found, {@code "truncated": true} and the reason.
 */
final class SearchApi {
    static final int DEFAULT_PAGE = 100;

    private final BucketlogReader reader;
    private final ViewerOptions options;
    private final JsonResponses json;

    SearchApi(BucketlogReader reader, ViewerOptions options, JsonResponses json) {
        this.reader = reader;
        this.options = options;
        this.json = json;
    }

    void streams(Context ctx) {
        json.send(ctx, 200, Map.of("streams", reader.streams()));
    }

    void query(Context ctx) {
        long started = System.nanoTime();
        SearchFilter filter = SearchFilter.of(ctx);
        int limit = intParam(ctx, "limit", DEFAULT_PAGE, 1, options.maxPage());
        ScanBudget budget = ScanBudget.forRequest(options);
        Query q = filter.applyTo(reader.query(filter.stream()).backward(), budget).limit(limit + 1L);
        String cursor = ctx.queryParam("cursor");
        if (cursor != null && !cursor.isEmpty()) {
            try {
                q.after(cursor);
            } catch (InvalidCursorException e) {
                throw new BadRequestException("bad cursor: " + e.getMessage());
            }
        }
        List<Map<String, Object>> events = new ArrayList<>();
        Map<String, Object> out = new LinkedHashMap<>();
        boolean more = false;
        String truncated = null;
        QueryStats stats;
        try (QueryResult r = q.iterator()) {
            try {
                while (r.hasNext()) {
                    Event e = r.next();
                    if (events.size() == limit) {
                        more = true;
                        break;
                    }
                    events.add(EventJson.of(e));
                }
            } catch (ScanBudget.Exhausted e) {
                truncated = e.getMessage();
                more = true;
            }
            stats = r.stats();
            out.put("corruptions", r.corruptions().size());
        }
        out.put("events", events);
        out.put("more", more);
        out.put("cursor", more && !events.isEmpty() ? events.get(events.size() - 1).get("cursor") : null);
        out.put("truncated", truncated != null);
        if (truncated != null) {
            out.put("reason", "the search stopped: it " + truncated
                    + "; narrow the time range or the filter");
        }
        out.put("stats", Map.of("blocksRead", stats.blocksRead(), "bucketsOpened", stats.bucketsOpened(),
                "bucketsPruned", stats.bucketsPruned(), "bytesRead", stats.bytesRead()));
        out.put("tookMillis", (System.nanoTime() - started) / 1_000_000);
        json.send(ctx, 200, out);
    }

    static int intParam(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new BadRequestException("'" + name + "' must be " + min + " to " + max + ", was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequestException("'" + name + "' is not a number: " + v);
        }
    }
}
