package io.bucketlog.bench.harness;

import java.util.Properties;

/**
 * What a child's S3 requests cost at AWS S3 Standard's published request prices, us-east-1, as
 * listed on aws.amazon.com/s3/pricing when these figures were added (2026-12-01): PUT, COPY, POST
 * and LIST $0.005 per 1,000 requests; GET (and HEAD) $0.0004 per 1,000; DELETE free. Storage and
 * transfer are not counted.
 */
final class S3Cost {
    static final String PRICES = "AWS S3 Standard us-east-1 request prices (2026-12-01):"
            + " PUT/COPY/POST/LIST $0.005 per 1,000, GET $0.0004 per 1,000, DELETE free";
    /** Note names of a row: requests per million events, and their price per billion events. */
    static final String PUTS = "PUT/M events";
    static final String GETS = "GET/M events";
    static final String LISTS = "LIST/M events";
    /** Per billion: a million events' requests cost fractions of a cent. */
    static final String DOLLARS = "$/1B events";
    private static final double PUT_OR_LIST = 0.005 / 1000;
    private static final double GET = 0.0004 / 1000;

    private S3Cost() {
    }

    static double dollars(double puts, double gets, double lists) {
        return (puts + lists) * PUT_OR_LIST + gets * GET;
    }

    /** Notes the requests reported under {@code prefix} per million of {@code events}, and their price. */
    static void perMillionEvents(Report.Row row, Properties p, String prefix, double events) {
        double scale = 1e6 / events;
        double puts = Report.num(p, prefix + ".puts") * scale;
        double gets = Report.num(p, prefix + ".gets") * scale;
        double lists = Report.num(p, prefix + ".lists") * scale;
        row.note(PUTS, puts);
        row.note(GETS, gets);
        row.note(LISTS, lists);
        row.note(DOLLARS, dollars(puts, gets, lists) * 1000);
    }
}
