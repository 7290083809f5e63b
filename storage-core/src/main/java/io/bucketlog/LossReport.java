package io.bucketlog;

/**
 * What a writer lost since its previous report, and in total: handed to
 * {@link WriterOptions#lossListener()} when events were lost (the first loss at once, then at
 * most once per {@link WriterOptions#lossReportInterval()}), and once more, always, when the
 * writer closes.
 *
 * @param writerId the writer
 * @param sinceLastReport the counts since the previous report (all of them in the first)
 * @param total the counts since the writer started
 * @param closing whether this is the writer's final report
 */
public record LossReport(String writerId, WriterStats sinceLastReport, WriterStats total,
                         boolean closing) {

    /** Whether anything was lost since the previous report. */
    public boolean hasLosses() {
        return sinceLastReport.lost() > 0;
    }

    /** The report as one line, with every count by reason. */
    @Override
    public String toString() {
        WriterStats t = total;
        StringBuilder b = new StringBuilder("Bucketlog writer ").append(writerId);
        if (closing) {
            b.append(" closed: ").append(t.appended()).append(" events appended, ")
                    .append(t.written()).append(" written, ").append(t.lost()).append(" lost (")
                    .append(t.lossesByReason()).append(')');
            if (t.inFlight() != 0) {
                b.append(", ").append(t.inFlight()).append(" unaccounted");
            }
        } else {
            b.append(" lost ").append(sinceLastReport.lost()).append(" events since the last report (")
                    .append(sinceLastReport.lossesByReason()).append("); in total ").append(t.lost())
                    .append(" of ").append(t.appended()).append(" appended (")
                    .append(t.lossesByReason()).append(')');
        }
        if (t.truncated() + t.sanitised() > 0) {
            b.append("; ").append(t.truncated()).append(" stored truncated, ")
                    .append(t.sanitised()).append(" made safe (names, values or text escaped or cut)");
        }
        if (t.droppedRingFull() > 0) {
            b.append("; the ring was full: the disk or the writer thread is slower than the logging"
                    + " rate (raise ringBufferSize, or choose ringFullPolicy=block or drop-below)"
                    + "; on an object store, its local spool may have been full instead: the store"
                    + " is unreachable or slower than the logging rate (raise spool-limit-mb)");
        }
        return b.toString();
    }
}
