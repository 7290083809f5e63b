package io.bucketlog.backend.s3;

import io.bucketlog.spi.NoSuchObjectException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The one background thread of a storage that uploads what its growing objects' writers
 * spooled: every publish interval (and at once when a writer calls {@code publish}, {@code sync}
 * or {@code seal}) each unpublished range becomes one part; a sealed object becomes one whole
 * object, and its parts are deleted after the grace period. A failed request is reported to the
 * error listener, counted, and tried again after a backoff (doubling from 100 ms to 5 s, with
 * jitter), so a store that is down only makes the spool grow until it returns. It also recovers
 * what dead writers of this host left ({@link #recover}).
 */
final class Publisher implements AutoCloseable {
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final BucketClient client;
    private final ObjectLayout layout;
    private final S3Options options;
    private final Spool spool;
    private final Set<SpoolEntry> active = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService thread;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong partsUploaded = new AtomicLong();
    private final AtomicLong bytesUploaded = new AtomicLong();
    private final SpoolRecovery recovery;

    Publisher(BucketClient client, ObjectLayout layout, S3Options options, Spool spool) {
        this.client = client;
        this.layout = layout;
        this.options = options;
        this.spool = spool;
        this.recovery = new SpoolRecovery(client, layout, options, spool, this);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bucketlog-s3-publisher " + layout.location());
            t.setDaemon(true);
            return t;
        });
        long interval = options.publishInterval().toNanos();
        thread.scheduleWithFixedDelay(this::passAll, interval, interval, TimeUnit.NANOSECONDS);
    }

    long failures() {
        return failures.get();
    }

    long partsUploaded() {
        return partsUploaded.get();
    }

    long bytesUploaded() {
        return bytesUploaded.get();
    }

    /** Counts {@code bytes} uploaded by a recovery (a bucket of leftovers). */
    void uploaded(long bytes) {
        bytesUploaded.addAndGet(bytes);
    }

    /** Reports and counts a failure outside the steps (which count their own). */
    void failed(IOException e) {
        failures.incrementAndGet();
        options.errorListener().accept(e);
    }

    void add(SpoolEntry entry) {
        active.add(entry);
    }

    /** The live entry of {@code name} whose handle was closed, for a reopen to continue. */
    SpoolEntry closedEntry(String name) {
        for (SpoolEntry e : active) {
            if (e.name().equals(name) && e.handleClosed() && !e.sealed()) {
                return e;
            }
        }
        return null;
    }

    /** Publishes {@code entry} soon, unless it is waiting out a backoff. */
    void wake(SpoolEntry entry) {
        try {
            thread.execute(() -> {
                if (active.contains(entry) && entry.failure() == null
                        && System.nanoTime() - entry.nextAttemptNanos >= 0) {
                    step(entry, false);
                }
            });
        } catch (RejectedExecutionException closed) {
            // the storage is closing; its close publishes what is left
        }
    }

    private void passAll() {
        long now = System.nanoTime();
        for (SpoolEntry e : active) {
            // a failed entry was reported once; it waits in the spool (its sync reports it)
            if (e.failure() == null && now - e.nextAttemptNanos >= 0) {
                step(e, false);
            }
        }
    }

    /** One attempt at {@code entry}; a failure is reported, counted and backed off. */
    boolean step(SpoolEntry entry, boolean withoutGrace) {
        try {
            boolean done = advance(entry, withoutGrace);
            entry.failures = 0;
            if (done) {
                long freed = entry.delete();
                if (freed < 0) {
                    return false;
                }
                if (active.remove(entry)) {
                    spool.release(freed);
                }
            }
            return done;
        } catch (IOException e) {
            failures.incrementAndGet();
            entry.lastError = e.getMessage();
            int f = Math.min(entry.failures++, 16);
            long backoff = Math.min(MAX_BACKOFF_NANOS, MIN_BACKOFF_NANOS << f);
            entry.nextAttemptNanos = System.nanoTime() + backoff / 2
                    + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
            options.errorListener().accept(e);
            return false;
        }
    }

    /** Moves {@code entry} on as far as it goes now; true when nothing of it is left to do. */
    private boolean advance(SpoolEntry entry, boolean withoutGrace) throws IOException {
        if (entry.failure() != null) {
            throw new IOException(entry.failure());
        }
        if (entry.sealed()) {
            if (!entry.wholeUploaded()) {
                uploadWhole(entry);
                entry.markWholeUploaded();
                entry.wholeUploadedNanos = System.nanoTime();
            }
            if (withoutGrace || System.nanoTime() - entry.wholeUploadedNanos >= options.partsGrace().toNanos()) {
                client.deletePrefix(layout.partsPrefix(entry.name(), entry.incarnation()));
                return true;
            }
            return false;
        }
        publishParts(entry);
        // closed first, then sealed: seal() marks sealed before it closes, so a handle seen
        // closed by a seal during the upload above is seen sealed too, and is sealed next time
        boolean closed = entry.handleClosed();
        return closed && !entry.sealed() && entry.published() == entry.size();
    }

    private void publishParts(SpoolEntry entry) throws IOException {
        long size = entry.size();
        while (entry.published() < size) {
            long from = entry.published();
            int n = (int) Math.min(options.partBytes(), size - from);
            byte[] bytes = entry.read(from, n);
            String key = layout.partKey(entry.name(), entry.incarnation(), from);
            if (client.putIfNoneMatch(key, RequestBody.fromBytes(bytes), Map.of())) {
                partsUploaded.incrementAndGet();
                bytesUploaded.addAndGet(n);
                entry.publishedTo(from + n);
                continue;
            }
            // The part is there already: this writer's own earlier attempt whose answer was lost,
            // or a dead writer's upload its record missed. Either way it holds these bytes.
            long held = partHeld(entry, from);
            if (held == 0) {
                // Gone between the 412 and the read (a brigade's deletion after the grace, say):
                // not a sign of another writer, so the next round tries again.
                throw new NoSuchObjectException(client.where(key) + ": the part was there and is gone; tried again next round");
            }
            if (held < 0) {
                String why = client.where(key) + ": the part holds other bytes than this writer's spool ("
                        + entry.name() + " written by someone else?); nothing more is published";
                entry.fail(why);
                throw new IOException(why);
            }
            entry.publishedTo(from + held);
        }
    }

    /**
     * The length of {@code entry}'s part at {@code from} if the store has it and it holds the
     * spool's bytes there, 0 if there is none, -1 if it holds others.
     */
    long partHeld(SpoolEntry entry, long from) throws IOException {
        byte[] there;
        try {
            there = client.readAll(layout.partKey(entry.name(), entry.incarnation(), from));
        } catch (NoSuchObjectException none) {
            return 0;
        }
        return there.length > 0 && there.length <= entry.size() - from
                && Arrays.equals(there, entry.read(from, there.length)) ? there.length : -1;
    }

    private void uploadWhole(SpoolEntry entry) throws IOException {
        long size = entry.size();
        String key = layout.headKey(entry.name());
        if (size <= options.partBytes()) {
            client.put(key, RequestBody.fromBytes(entry.read(0, (int) size)));
        } else {
            client.putMultipart(key, entry.channel(), size, options.partBytes());
        }
        bytesUploaded.addAndGet(size);
    }

    /** What {@link #recover} did. */
    record Recovered(int writers, int objects, long bytes, int failed) {
    }

    /** Uploads what dead writers of this location left on this host, on the publisher thread. */
    Recovered recover() throws IOException {
        try {
            return thread.submit(recovery::run).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while recovering " + layout.location(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io
                    : new IOException("recovering " + layout.location() + " failed", e.getCause());
        }
    }

    /** Recovers in the background; failures go to the error listener and the next open tries again. */
    void recoverLater() {
        thread.execute(() -> {
            try {
                recovery.run();
            } catch (IOException e) {
                failed(e);
            }
        });
    }

    /**
     * Publishes what is left, for up to {@code nanos}: sealed objects' parts go at once (readers
     * in them read on from the whole object). What is still not uploaded stays in the spool for
     * the next open on this host.
     */
    @Override
    public void close() throws IOException {
        long deadline = System.nanoTime() + options.syncTimeout().toNanos();
        List<SpoolEntry> broken = new ArrayList<>();
        Future<?> last = thread.submit(() -> {
            while (!active.isEmpty() && System.nanoTime() < deadline) {
                for (SpoolEntry e : active) {
                    if (e.failure() != null) {
                        active.remove(e);
                        broken.add(e);
                        continue;
                    }
                    e.markHandleClosed();
                    step(e, true);
                }
                if (!active.isEmpty()) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        });
        try {
            last.get(options.syncTimeout().toNanos() + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // what is left stays in the spool, counted below
        } finally {
            thread.shutdownNow();
        }
        active.addAll(broken);
        for (SpoolEntry e : active) {
            e.closeChannel();
        }
        if (!active.isEmpty()) {
            IOException left = new IOException(layout.location() + ": " + active.size()
                    + " objects not uploaded at close (" + broken.size() + " of them refused by the store)"
                    + " stay in the spool " + spool.where() + " for the next open on this host");
            active.clear();
            throw left;
        }
    }
}
