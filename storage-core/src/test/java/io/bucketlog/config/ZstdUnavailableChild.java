package io.bucketlog.config;

import io.bucketlog.EventScan;
import io.bucketlog.ScanRequest;
import io.bucketlog.Store;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.bucketlog.brigade.Brigade;
import io.bucketlog.internal.format.ZstdCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@link ZstdUnavailableTest}'s JVM: prints what it found, one line each. */
public final class ZstdUnavailableChild {
    private ZstdUnavailableChild() {
    }

    public static void main(String[] args) throws IOException {
        System.out.println("REASON " + ZstdCodec.unavailableReason());
        long ts = System.currentTimeMillis() * 1_000_000L;
        try (Store store = Store.open(Path.of(args[0]))) {
            // The appenders' default, the same on every host: the stream is configured for zstd.
            AppenderSettings.Resolved logs = settings(null).resolve((m, c) -> { });
            System.out.println("DEFAULT " + logs.streamConfig().compression());
            logs.openStream(store);
            List<String> reported = new CopyOnWriteArrayList<>();
            WriterOptions reporting = WriterOptions.builder().closeOnJvmShutdown(false)
                    .errorListener((message, cause) -> reported.add(message)).build();
            try (Writer w = store.writer(reporting)) {
                for (int i = 0; i < 40; i++) {
                    w.append("logs", "k", ts + i, Map.of(), ("event " + i).getBytes());
                }
            }
            // Read here, without zstd: so its buckets were written in LZ4.
            System.out.println("ZSTD-CONFIGURED STREAM " + count(store, "logs") + " events, "
                    + store.streamConfig("logs").orElseThrow().compression());
            for (String r : reported) {
                System.out.println("REPORTED " + r.replace('\n', ' '));
            }
            // Its window closed (the brigade's clock two days on): merged into an LZ4 bucket.
            List<String> brigadeReported = new CopyOnWriteArrayList<>();
            try (Brigade brigade = Brigade.builder(store).stream("logs")
                    .lateness(Duration.ZERO)
                    .clock(Clock.offset(Clock.systemUTC(), Duration.ofDays(2)))
                    .errors((message, cause) -> brigadeReported.add(message)).build()) {
                System.out.println("BRIGADE " + brigade.runOnce().merges() + " merges, then "
                        + brigade.runOnce().merges() + "; " + count(store, "logs") + " events");
            }
            for (String r : brigadeReported) {
                System.out.println("BRIGADE SAID " + r.replace('\n', ' '));
            }
            AppenderSettings.Resolved lz4 = settings("lz4").resolve((m, c) -> { });
            store.createStream("l", lz4.streamConfig());
            WriterOptions plain = WriterOptions.builder().closeOnJvmShutdown(false).build();
            try (Writer w = store.writer(plain)) {
                for (int i = 0; i < 50; i++) {
                    w.append("l", "k", ts + i, Map.of(), ("event " + i).getBytes());
                }
            }
            System.out.println("LZ4 STREAM " + count(store, "l") + " events, "
                    + store.streamConfig("l").orElseThrow().compression());
            try {
                System.out.println("ZSTD STREAM read " + count(store, "z") + " events");
            } catch (RuntimeException e) {
                System.out.println("ZSTD STREAM " + e);
            }
        }
    }

    private static long count(Store store, String stream) {
        long n = 0;
        try (EventScan scan = store.scan(ScanRequest.all(stream))) {
            while (scan.hasNext()) {
                scan.next();
                n++;
            }
        }
        return n;
    }

    private static AppenderSettings settings(String compression) {
        return new AppenderSettings("unused", "logs", null, null, null, null, compression, null,
                null, null, null, null, null, null, null);
    }
}
