package io.bucketlog.brigade;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.WriteErrorListener;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.write.RingWriter;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The brigade: merges a store's closed windows into few key-sorted buckets, rolls old index
 * windows up into one bucket each and older spans into wider ones ({@link Builder#rollUp}),
 * deletes what a merge replaced after a grace period, and
 * deletes whole windows older than their stream's retention. Reads never depend on it.
 *
 * <p>Any number of brigades (threads, processes, hosts) may run on one store at once without
 * coordinating: work is claimed with put-if-absent objects that expire, and a merge takes effect
 * with one put-if-absent commit under a name every brigade derives from the same inputs, so of
 * two brigades merging the same buckets exactly one commit wins (the other deletes its output).
 * A brigade killed at any moment leaves the store readable, with every event exactly once; the
 * next pass finishes the work. The protocol is described in docs/ARCHITECTURE.md and at the head
 * of the classes that write each object.
 *
 * <pre>{@code
 * try (Brigade brigade = Brigade.builder(store).build()) {
 *     BrigadeSummary done = brigade.runOnce();
 * }
 * // or in the background, at low priority:
 * Brigade brigade = Brigade.builder(store).interval(Duration.ofMinutes(1)).build().start();
 * }</pre>
 *
 * <p>Thread-safe: passes are serialised. Closing stops the background thread (after its current
 * pass); it does not close the store or its storages.
 */
public final class Brigade implements AutoCloseable {
    private final Store store;
    private final Builder options;
    private final EngineView view;
    private final WorkPlan plan;
    private final RollUpPlan rollUps;
    private final MergedBucketSink sink;
    private final Object passLock = new Object();
    private Thread thread;
    private volatile boolean closed;

    private Brigade(Builder b) {
        this.store = b.store;
        this.options = b;
        this.view = b.volumes == null ? EngineView.open(store) : new EngineView(store, b.volumes);
        this.plan = new WorkPlan(b.lateness, b.abandonAfter, b.rollUpAfter);
        this.rollUps = new RollUpPlan(b.rollUpAfter == null ? List.of() : b.rollUpLevels,
                b.lateness, b.abandonAfter);
        this.sink = b.sink != null ? b.sink : new FormatBucketSink(b.errors);
    }

    /** A builder for a brigade on this store; every setting has a default. */
    public static Builder builder(Store store) {
        return new Builder(store);
    }

    /**
     * One pass over every selected stream: retention, cleanup of commits past their grace
     * period, then merges and roll-ups of closed windows.
     *
     * @throws IOException if the store cannot be listed or written; what was committed before
     *     stays committed, and the next pass carries on
     */
    public BrigadeSummary runOnce() throws IOException {
        synchronized (passLock) {
            Tally tally = new Tally();
            String brigadeId = RingWriter.newWriterId();
            Commits commits = new Commits(view.first(), options.clock);
            Claims claims = new Claims(view.first(), options.clock, options.claimTtl, brigadeId);
            GraceCleanup cleanup = new GraceCleanup(view, commits, claims, options.grace,
                    options.abandonAfter);
            WindowRetention retention = new WindowRetention(view);
            try (BrigadeIndex index = new BrigadeIndex(view.first(), brigadeId)) {
                WindowMerge merge = new WindowMerge(view, claims, commits, index,
                        sink, brigadeId);
                for (String stream : streams()) {
                    pass(stream, tally, merge, cleanup, retention);
                }
            }
            return tally.summary();
        }
    }

    private List<String> streams() {
        return options.stream == null ? view.streams() : List.of(options.stream);
    }

    private void pass(String stream, Tally tally, WindowMerge merge, GraceCleanup cleanup,
                      WindowRetention retention) throws IOException {
        StreamConfig config = view.config(stream);
        // A merge holds its inputs' events in memory: the byte target is capped so that a stream
        // with large buckets does not make a brigade inside an application take its heap.
        long target = Math.min(options.maxMergeBytes,
                options.targetBytes > 0 ? options.targetBytes : config.bucketBytes());
        for (long window : view.indexWindows(stream, tally.damage)) {
            if (closed) {
                return;
            }
            try {
                window(stream, window, config, target, tally, merge, cleanup, retention);
            } catch (IOException e) {
                failed(tally, stream, window, e);
            }
        }
        try {
            new RollUpAreaPass(view, rollUps, options.clock, options.retention, options.progress)
                    .pass(stream, config, target, tally, cleanup, retention,
                            (unit, listing) -> run(unit, listing, config, tally, merge),
                            () -> closed);
        } catch (IOException e) {
            failed(tally, stream, StoreLayout.ROLL_UP_AREA, e);
        }
    }

    private void failed(Tally tally, String stream, long window, IOException e) {
        // One window that cannot be read or written does not hold up the others.
        tally.failures.add(stream + " " + StoreLayout.windowName(window) + " in "
                + view.locationOf(0, stream + "/" + StoreLayout.windowName(window))
                + " was not compacted: " + e);
    }

    private void run(WorkUnit unit, WindowListing listing, StreamConfig config, Tally tally,
                     WindowMerge merge) throws IOException {
        WindowMerge.Outcome o;
        try {
            o = merge.run(unit, listing, config);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Records the format refuses (two different events with one id, an event that
            // does not fit): the inputs stay as they are, readable.
            tally.failures.add(unit.stream() + " " + StoreLayout.windowName(unit.windowStart())
                    + ": " + unit.inputs().size() + " bucket(s) not merged: " + e.getMessage());
            return;
        }
        tally.add(unit, o);
        step(o.kind(), unit.stream(), StoreLayout.windowName(unit.windowStart()),
                unit.inputs().size(), o.events(), o.bytes());
    }

    private void window(String stream, long window, StreamConfig config, long target, Tally tally,
                        WindowMerge merge, GraceCleanup cleanup, WindowRetention retention)
            throws IOException {
        String windowName = StoreLayout.windowName(window);
        long now = options.clock.millis();
        if (options.retention && config.retention().isPresent() && WindowRetention.expired(
                window, config.indexWindowNanos(),
                now * 1_000_000L - config.retention().get().toNanos())) {
            WindowRetention.Expired e = retention.expire(stream, window, false);
            if (!e.objects().isEmpty()) { // else an empty directory left by an earlier expiry
                tally.windowsExpired++;
                tally.bytesDeleted += e.bytes();
                step(BrigadeStep.Kind.WINDOW_EXPIRED, stream, windowName, e.objects().size(), 0,
                        e.bytes());
            }
            return;
        }
        List<CorruptionReport> damage = new ArrayList<>();
        WindowListing listing = view.list(stream, window, damage);
        GraceCleanup.Done cleaned = cleanup.clean(listing, now);
        if (cleaned.commits() > 0) {
            tally.inputsDeleted += cleaned.buckets();
            tally.bytesDeleted += cleaned.bytes();
            step(BrigadeStep.Kind.INPUTS_DELETED, stream, windowName, cleaned.buckets(), 0,
                    cleaned.bytes());
            listing = view.list(stream, window, damage);
        }
        tally.damage.addAll(damage);
        long rolledUpBelow = rollUps.spanDue(config, window, now) ? target / 2 : 0;
        for (WorkUnit unit : plan.plan(listing, config, target, options.clock.millis(),
                rolledUpBelow)) {
            if (closed) {
                return;
            }
            run(unit, listing, config, tally, merge);
        }
    }

    private void step(BrigadeStep.Kind kind, String stream, String window, int buckets, long events,
                      long bytes) {
        options.progress.accept(new BrigadeStep(kind, stream, window, buckets, events, bytes));
    }

    /**
     * Deletes (or, with {@code dryRun}, only lists) the whole index windows of a stream that
     * ended more than {@code olderThan} ago, whatever its configured retention.
     */
    public PruneSummary prune(String stream, Duration olderThan, boolean dryRun) throws IOException {
        Objects.requireNonNull(olderThan, "olderThan");
        synchronized (passLock) {
            long cutoff = options.clock.millis() * 1_000_000L - olderThan.toNanos();
            return new WindowRetention(view).prune(stream, view.config(stream).indexWindowNanos(),
                    cutoff, dryRun, options.progress);
        }
    }

    /**
     * Starts passes in the background, one every {@link Builder#interval}, on a daemon thread
     * of the lowest priority, off any logging path. A failed pass is reported to the error
     * listener and the next one runs as planned.
     *
     * @return this brigade
     * @throws IllegalStateException if it was started already or is closed
     */
    public synchronized Brigade start() {
        if (thread != null || closed) {
            throw new IllegalStateException("the brigade was started already or is closed");
        }
        thread = new Thread(this::loop, "bucketlog-brigade");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return this;
    }

    private void loop() {
        while (!closed) {
            try {
                BrigadeSummary s = runOnce();
                if (!s.damage().isEmpty() || !s.failures().isEmpty()) {
                    options.errors.onError("brigade pass: " + s.damage().size() + " damaged place(s) "
                            + s.damage() + ", " + s.failures().size() + " failure(s) " + s.failures(),
                            null);
                }
            } catch (IOException | RuntimeException e) {
                options.errors.onError("a brigade pass on " + store.location()
                        + " failed; the next pass runs in " + options.interval, e);
            }
            try {
                Thread.sleep(options.interval.toMillis());
            } catch (InterruptedException e) {
                return; // closed
            }
        }
    }

    /** Stops the background thread, waiting for its current pass; the store stays open. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // The storages are the store's, and the store closes them: closing them here stopped an
        // object store's publisher and connections under the store's own writers and readers.
    }

    /** Builds a {@link Brigade}. */
    public static final class Builder {
        private final Store store;
        private Clock clock = Clock.systemUTC();
        private long targetBytes;
        private long maxMergeBytes = 32L << 20;
        private Duration grace = Duration.ofMinutes(15);
        private Duration lateness = Duration.ofHours(1);
        private Duration abandonAfter = Duration.ofHours(1);
        private Duration rollUpAfter = Duration.ofDays(2);
        private List<RollUpPlan.Level> rollUpLevels = List.of(
                new RollUpPlan.Level(Duration.ofDays(30), Duration.ofDays(30)));
        private boolean rollUpLevelsSet;
        private Duration claimTtl = Duration.ofMinutes(15);
        private Duration interval = Duration.ofMinutes(1);
        private String stream;
        private boolean retention = true;
        private Consumer<BrigadeStep> progress = s -> { };
        private WriteErrorListener errors = WriteErrorListener.STDERR;
        /** The bucket format's, told of {@link #errors}, unless a test stands in for it. */
        private MergedBucketSink sink;
        private List<Storage> volumes;

        private Builder(Store store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** The wall clock for claims, grace periods, closed windows and retention. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Byte target of a merged bucket; by default each stream's bucket size. */
        public Builder targetBytes(long bytes) {
            if (bytes < StreamConfig.MIN_BUCKET_BYTES) {
                throw new IllegalArgumentException("targetBytes must be at least "
                        + StreamConfig.MIN_BUCKET_BYTES + ", was " + bytes);
            }
            this.targetBytes = bytes;
            return this;
        }

        /**
         * The most input bytes one merge reads (default 32 MiB): it holds their events in memory,
         * so this bounds the brigade's heap; a byte target above it is lowered to it.
         */
        public Builder maxMergeBytes(long bytes) {
            if (bytes < StreamConfig.MIN_BUCKET_BYTES) {
                throw new IllegalArgumentException("maxMergeBytes must be at least "
                        + StreamConfig.MIN_BUCKET_BYTES + ", was " + bytes);
            }
            this.maxMergeBytes = bytes;
            return this;
        }

        /**
         * How long a merge's inputs stay after its commit, for reads that opened them before;
         * longer than any read (default 15 minutes).
         */
        public Builder grace(Duration grace) {
            this.grace = nonNegative("grace", grace);
            return this;
        }

        /** How long after a window's end late events are still expected (default 1 hour). */
        public Builder lateness(Duration lateness) {
            this.lateness = nonNegative("lateness", lateness);
            return this;
        }

        /**
         * After how long without a change an unsealed bucket counts as abandoned by a dead writer
         * and may be merged (default 1 hour; a live writer seals an idle bucket far sooner).
         */
        public Builder abandonAfter(Duration age) {
            this.abandonAfter = nonNegative("abandonAfter", age);
            return this;
        }

        /**
         * From what age after its end an index window's buckets are rolled up into buckets that
         * cover the whole index window (default 2 days); {@code null} never rolls up.
         */
        public Builder rollUpAfter(Duration age) {
            this.rollUpAfter = age == null ? null : nonNegative("rollUpAfter", age);
            return this;
        }

        /**
         * Adds a roll-up wider than the index window: spans of {@code width} (aligned to it, as
         * windows are) are merged into buckets in the stream's roll-up area once their end is
         * {@code after} old. The first call replaces the default, 30 days after 30 days (about
         * "day to month" for a stream whose index window is a day). A width must be a multiple
         * of the stream's index window and of every narrower roll-up's width; one that is not is
         * skipped for that stream. {@link #rollUpAfter rollUpAfter(null)} turns these off too.
         */
        public Builder rollUp(Duration width, Duration after) {
            Objects.requireNonNull(width, "width");
            if (width.isNegative() || width.isZero() || width.toNanos() % 1_000_000_000L != 0) {
                throw new IllegalArgumentException("a roll-up width must be a positive whole"
                        + " number of seconds, was " + width);
            }
            RollUpPlan.Level level = new RollUpPlan.Level(width, nonNegative("after", after));
            List<RollUpPlan.Level> levels = new ArrayList<>(rollUpLevelsSet ? rollUpLevels
                    : List.of());
            levels.add(level);
            this.rollUpLevels = List.copyOf(levels);
            this.rollUpLevelsSet = true;
            return this;
        }

        /** Rolls up no wider than the index window ({@link #rollUp} adds levels again). */
        public Builder noWideRollUps() {
            this.rollUpLevels = List.of();
            this.rollUpLevelsSet = true;
            return this;
        }

        /** How long a claim on a merge holds off other brigades (default 15 minutes). */
        public Builder claimTtl(Duration ttl) {
            this.claimTtl = nonNegative("claimTtl", ttl);
            return this;
        }

        /** Time between background passes (default 1 minute). */
        public Builder interval(Duration interval) {
            this.interval = nonNegative("interval", interval);
            return this;
        }

        /** Only this stream; by default every stream. */
        public Builder stream(String stream) {
            this.stream = io.bucketlog.Names.checkStream(stream);
            return this;
        }

        /** Whether passes delete windows older than their stream's retention (default true). */
        public Builder retention(boolean apply) {
            this.retention = apply;
            return this;
        }

        /** Told of each step as it happens, on the pass's thread. */
        public Builder progress(Consumer<BrigadeStep> progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /** Where a background pass's failure is reported (default: standard error, rate-limited). */
        public Builder errors(WriteErrorListener errors) {
            this.errors = Objects.requireNonNull(errors, "errors");
            return this;
        }

        Builder sink(MergedBucketSink sink) {
            this.sink = sink;
            return this;
        }

        /** Stand-ins for the store's volumes (tests inject faults). */
        Builder volumes(List<Storage> volumes) {
            this.volumes = List.copyOf(volumes);
            return this;
        }

        public Brigade build() {
            return new Brigade(this);
        }

        private static Duration nonNegative(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, was " + d);
            }
            return d;
        }
    }
}
