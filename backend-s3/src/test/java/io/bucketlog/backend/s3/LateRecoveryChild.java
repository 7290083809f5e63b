package io.bucketlog.backend.s3;

import io.bucketlog.Store;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A writer process for {@link LateRecoveryTest} that dies with spooled events the store never
 * got: opens the store at its location argument, appends events {@code TAG-0 ... TAG-(n-1)} of
 * stream {@code s} into the minute starting at {@code MINUTE} (nanoseconds), flushes and prints
 * {@code FIRST}; on the line {@code GO} (the test has made the store unreachable meanwhile)
 * appends {@code TAG-n ... TAG-(2n-1)}, flushes (durability {@code os}: they are in the spool)
 * and prints {@code SECOND}, then waits to be killed. Its bucket stays open (no seal of an idle
 * bucket for an hour) unless a fifth argument {@code seal} says to close the writer before
 * {@code SECOND}: the bucket and its index's "sealed" entry are then complete in the spool, and
 * the bucket's upload as one object waits for the store.
 *
 * <p>Arguments: location, minute, n, tag, and optionally {@code seal}.
 */
public final class LateRecoveryChild {
    static final long MINUTE = 60_000_000_000L;

    private LateRecoveryChild() {
    }

    public static void main(String[] args) throws Exception {
        long minute = Long.parseLong(args[1]);
        int n = Integer.parseInt(args[2]);
        String tag = args[3];
        WriterOptions options = WriterOptions.builder().closeOnJvmShutdown(false).sealGrace(Duration.ofHours(1))
                .errorListener((message, e) -> { }) // the store is down on purpose; the spool keeps all
                .build();
        Store store = Store.open(args[0]);
        Writer w = store.writer(options);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        append(w, minute, tag, 0, n);
        System.out.println("FIRST");
        System.out.flush();
        if (!"GO".equals(in.readLine())) {
            throw new IllegalStateException("no GO");
        }
        append(w, minute, tag, n, 2 * n);
        if (args.length > 4 && "seal".equals(args[4])) {
            w.close(); // seals into the spool: the writer never waits on the store
        }
        System.out.println("SECOND");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void append(Writer w, long minute, String tag, int from, int to) {
        for (int i = from; i < to; i++) {
            String body = body(tag, i);
            if (!w.append("s", "k" + i % 5, minute + i * (MINUTE / 1000), Map.of(),
                    body.getBytes(StandardCharsets.UTF_8))) {
                throw new IllegalStateException("append refused");
            }
        }
        if (!w.flush(Duration.ofSeconds(30)) || w.stats().lost() != 0) {
            throw new IllegalStateException("not flushed: " + w.stats());
        }
    }

    /** Event {@code i}'s body: its tag and number, padded so that a few fill a block. */
    static String body(String tag, int i) {
        return tag + "-" + i + " " + "x".repeat(120);
    }
}
