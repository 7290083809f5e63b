package io.bucketlog.config;

import io.bucketlog.Compression;
import io.bucketlog.Event;
import io.bucketlog.EventScan;
import io.bucketlog.ScanRequest;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.bucketlog.internal.format.ZstdCodec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@link ZstdUnavailableTest}'s JVM: prints what it found, one line each. */
public final class ZstdUnavailableChild {
    private ZstdUnavailableChild() {
    }

    public static void main(String[] args) {
        System.out.println("REASON " + ZstdCodec.unavailableReason());
        System.out.println("DEFAULT " + settings(null).resolve((m, c) -> { }).streamConfig()
                .compression());
        try {
            settings("zstd").resolve((m, c) -> { });
            System.out.println("ACCEPTED zstd");
        } catch (InvalidOptionException e) {
            System.out.println("REFUSED " + e.getMessage());
        }
        long ts = System.currentTimeMillis() * 1_000_000L;
        try (Store store = Store.open(Path.of(args[0]))) {
            store.createStream("l", settings(null).resolve((m, c) -> { }).streamConfig());
            WriterOptions options = WriterOptions.builder().closeOnJvmShutdown(false).build();
            try (Writer w = store.writer(options)) {
                for (int i = 0; i < 50; i++) {
                    w.append("l", "k", ts + i, Map.of(), ("event " + i).getBytes());
                }
            }
            System.out.println("LZ4 STREAM " + count(store, "l") + " events, "
                    + store.streamConfig("l").orElseThrow().compression());
            // A stream configured for zstd elsewhere, written here through the API.
            store.createStream("z2", StreamConfig.builder().bucketBytes(1 << 20)
                    .compression(Compression.ZSTD).build());
            List<String> reported = new CopyOnWriteArrayList<>();
            WriterOptions reporting = WriterOptions.builder().closeOnJvmShutdown(false)
                    .errorListener((message, cause) -> reported.add(message)).build();
            try (Writer w = store.writer(reporting)) {
                for (int i = 0; i < 40; i++) {
                    w.append("z2", "k", ts + i, Map.of(), ("event " + i).getBytes());
                }
            }
            System.out.println("ZSTD-CONFIGURED STREAM " + count(store, "z2") + " events");
            for (String r : reported) {
                System.out.println("REPORTED " + r.replace('\n', ' '));
            }
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
                Event e = scan.next();
                n += e == null ? 0 : 1;
            }
        }
        return n;
    }

    private static AppenderSettings settings(String compression) {
        return new AppenderSettings("unused", null, null, null, null, null, compression, null, null,
                null, null, null, null, null, null);
    }
}
