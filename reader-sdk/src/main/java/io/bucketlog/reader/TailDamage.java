package io.bucketlog.reader;

import io.bucketlog.CorruptionReport;
import io.bucketlog.internal.read.DamageLog;
import io.bucketlog.internal.store.StoreLayout;
import java.util.List;
import java.util.function.Consumer;

/**
 * The damage a tail reports, and where: each place once, since an idle tail meets the same damage
 * at every poll; a misplaced copy and a disagreement with the stream's configuration at the
 * places a query reports them. Not thread-safe: its tail's.
 */
final class TailDamage {
    private final DamageLog log;
    private final StoreLayout layout;
    private final String stream;

    /** @param onFirst told of the first report of each place */
    TailDamage(Consumer<CorruptionReport> onFirst, StoreLayout layout, String stream) {
        this.log = new DamageLog(onFirst);
        this.layout = layout;
        this.stream = stream;
    }

    void report(CorruptionReport r) {
        log.report(r);
    }

    /** Reported at the copy, offset -1, as a query reports it. */
    void misplaced(String path, String problem) {
        report(new CorruptionReport(path, -1, "a misplaced bucket, not read: " + problem));
    }

    /** Reported at the stream's {@code stream.conf}, offset -1. */
    void streamConfig(String problem) {
        report(new CorruptionReport(streamConfigLocation(), -1, problem));
    }

    String streamConfigLocation() {
        return layout.volume(0).locationOf(StoreLayout.streamConfig(stream));
    }

    List<CorruptionReport> reports() {
        return log.reports();
    }
}
