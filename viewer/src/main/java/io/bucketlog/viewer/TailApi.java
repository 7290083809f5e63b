package io.bucketlog.viewer;

import io.bucketlog.Event;
import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.reader.TailListener;
import io.bucketlog.reader.TailSubscription;
import io.javalin.http.sse.SseClient;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * {@code /api/tail}: Server-Sent Events of new events matching the filter (its range is ignored),
 * one {@code event} message each, with the JSON of {@code /api/query}'s events. A reader-SDK tail
 * per client, from the moment it connects; at most {@link ViewerOptions#maxTails()} at once (one
 * more gets a {@code failure} message and is closed). A comment every few seconds finds clients
 * that went away, whose tails are then stopped.
 */
final class TailApi implements AutoCloseable {
    private static final long HEARTBEAT_SECONDS = 10;
    /** How long one event's regular expression may run before the event counts as not matching. */
    private static final long MATCH_NANOS = 100_000_000L;

    private final BucketlogReader reader;
    private final ViewerOptions options;
    private final JsonResponses json;
    private final AtomicInteger running = new AtomicInteger();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bucketlog-viewer-heartbeat");
        t.setDaemon(true);
        return t;
    });

    TailApi(BucketlogReader reader, ViewerOptions options, JsonResponses json) {
        this.reader = reader;
        this.options = options;
        this.json = json;
    }

    void tail(SseClient client) {
        SearchFilter filter;
        try {
            filter = SearchFilter.of(client.ctx());
            if (!reader.streams().contains(filter.stream())) {
                throw new BadRequestException("no stream '" + filter.stream() + "'");
            }
        } catch (BadRequestException e) {
            client.sendEvent("failure", json.write(Map.of("error", e.getMessage())));
            client.close();
            return;
        }
        if (running.incrementAndGet() > options.maxTails()) {
            running.decrementAndGet();
            client.sendEvent("failure", json.write(Map.of("error", "the viewer already serves "
                    + options.maxTails() + " live tails; close one first")));
            client.close();
            return;
        }
        client.keepAlive();
        var tail = reader.tail(filter.stream());
        if (filter.key() != null) {
            tail.key(filter.key());
        }
        TailSubscription sub = tail.listen(new Sender(client, filter));
        ScheduledFuture<?> beat = heartbeats.scheduleWithFixedDelay(() -> send(client, null, null),
                HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        client.onClose(() -> {
            beat.cancel(false);
            sub.close();
            running.decrementAndGet();
        });
        send(client, "ready", json.write(Map.of("stream", filter.stream())));
    }

    /** One client's listener: tests each event and sends the ones that match. */
    private final class Sender implements TailListener {
        private final SseClient client;
        private final SearchFilter filter;

        Sender(SseClient client, SearchFilter filter) {
            this.client = client;
            this.filter = filter;
        }

        @Override
        public void onEvent(Event e) {
            if (filter.testsEvents()) {
                Predicate<Event> test = filter.eventTest(new ScanBudget(Long.MAX_VALUE, MATCH_NANOS));
                try {
                    if (!test.test(e)) {
                        return;
                    }
                } catch (ScanBudget.Exhausted slow) {
                    return;
                }
            }
            send(client, "event", json.write(EventJson.of(e)));
        }

        @Override
        public void onError(RuntimeException failure) {
            send(client, "failure", json.write(Map.of("error", "the tail stopped: " + failure.getMessage())));
            client.close();
        }
    }

    /** Sends one message, or a heartbeat comment when {@code event} is null; one writer at a time. */
    private static void send(SseClient client, String event, String data) {
        synchronized (client) {
            if (client.terminated()) {
                return;
            }
            if (event == null) {
                client.sendComment("heartbeat");
            } else {
                client.sendEvent(event, data);
            }
        }
    }

    /** How many tails are being served now. */
    int running() {
        return running.get();
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
    }
}
