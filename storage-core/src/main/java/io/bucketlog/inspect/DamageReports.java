package io.bucketlog.inspect;

import io.bucketlog.CorruptionReport;
import io.bucketlog.internal.read.DamageLog;
import java.util.List;
import java.util.function.Consumer;

/**
 * Collects damage reports, each place once however often it is met (one edited
 * {@code stream.conf} disagrees with every bucket of its stream), with exact totals; bounded in
 * memory. Thread-safe.
 */
public final class DamageReports implements Consumer<CorruptionReport> {
    private final DamageLog log;

    /** @param onFirst told of the first report of each place, on the reporting thread */
    public DamageReports(Consumer<CorruptionReport> onFirst) {
        this.log = new DamageLog(onFirst);
    }

    /** Collects without telling anyone. */
    public DamageReports() {
        this(r -> { });
    }

    @Override
    public void accept(CorruptionReport r) {
        log.report(r);
    }

    /** Records a report; returns whether it was the first of its place. */
    public boolean report(CorruptionReport r) {
        return log.report(r);
    }

    public boolean isEmpty() {
        return log.isEmpty();
    }

    /**
     * One report per place in the order first met, "seen N more times" added to one met again,
     * and a last line counting the reports of places no longer kept.
     */
    public List<CorruptionReport> reports() {
        return log.reports();
    }
}
