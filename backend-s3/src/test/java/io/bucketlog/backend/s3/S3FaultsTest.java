package io.bucketlog.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.spi.AppendableObject;
import io.bucketlog.spi.SpoolFullException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The object store unreachable, restarted, and its connections cut: appends keep spooling,
 * failures are reported and counted, and once it answers again every byte is there once.
 */
class S3FaultsTest {
    private static final String PREFIX = "faults";

    @TempDir
    Path dir;
    private S3ProxyServer server;
    private final List<IOException> reported = new CopyOnWriteArrayList<>();
    private final Random random = new Random();

    @BeforeEach
    void startServer() throws Exception {
        server = S3ProxyServer.start(dir.resolve("server"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private S3Options.Builder options(URI endpoint) {
        return server.options(dir.resolve("spool"))
                .endpoint(endpoint)
                .publishInterval(Duration.ofMillis(100))
                .syncTimeout(Duration.ofSeconds(90))
                .errorListener(reported::add);
    }

    private S3Storage open(URI endpoint) throws IOException {
        return S3Storage.open(new S3Location(S3ProxyServer.BUCKET, PREFIX), options(endpoint).build());
    }

    @Test
    void appendsGoOnWhileTheStoreIsDownAndAreUploadedExactlyOnceWhenItReturns() throws Exception {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (S3Storage storage = open(server.endpoint());
             AppendableObject out = storage.create("s/w/outage.bkt")) {
            appendRecords(out, expected, 0, 100);
            out.sync();
            server.stop();

            appendRecords(out, expected, 100, 400); // none of these waits for the store
            out.publish();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (reported.isEmpty()) {
                assertThat(System.nanoTime()).as("the failures are reported").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(storage.publishFailures()).isPositive();
            assertThat(reported.get(0)).hasMessageContaining("s3://" + S3ProxyServer.BUCKET + "/" + PREFIX + "/s/w/");
            assertThat(storage.spooledBytes()).isEqualTo(expected.size());

            server.restart();
            appendRecords(out, expected, 400, 500);
            out.sync();

            try (S3Storage reader = open(server.endpoint())) {
                assertThat(StoredBytes.read(reader, "s/w/outage.bkt")).isEqualTo(expected.toByteArray());
            }
            assertThat(sumOfParts("s/w/outage.bkt")).as("nothing uploaded twice").isEqualTo(expected.size());
        }
        assertThat(reported).allSatisfy(e -> assertThat(e.getMessage()).doesNotContain(S3ProxyServer.SECRET));
    }

    @Test
    void aCreateWhoseAnswerWasLostIsStillReportedAsItsWin() throws Exception {
        try (CuttingProxy proxy = new CuttingProxy(server.port());
             S3Storage viaProxy = open(proxy.endpoint());
             S3Storage direct = open(server.endpoint())) {
            byte[] content = "the winner's bytes".getBytes(StandardCharsets.UTF_8);
            proxy.loseResponses(1);
            assertThat(viaProxy.putIfAbsent("c/lost", content)).isTrue();
            assertThat(proxy.cut()).as("the first answer was lost").isPositive();
            assertThat(direct.putIfAbsent("c/lost", content)).as("equal bytes are no win").isFalse();
            assertThat(StoredBytes.read(direct, "c/lost")).isEqualTo(content);

            proxy.loseResponses(1);
            AppendableObject made = viaProxy.create("c/made");
            made.close();
            assertThat(direct.stat("c/made")).isPresent();
        }
    }

    @Test
    void connectionsCutAtRandomLoseAndDuplicateNothing() throws Exception {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        AtomicBoolean stop = new AtomicBoolean();
        try (CuttingProxy proxy = new CuttingProxy(server.port());
             S3Storage viaProxy = open(proxy.endpoint());
             S3Storage direct = open(server.endpoint());
             AppendableObject out = viaProxy.create("s/w/cut.bkt")) {
            Thread cutter = new Thread(() -> {
                Random r = new Random();
                while (!stop.get()) {
                    try {
                        Thread.sleep(20 + r.nextInt(80));
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (r.nextInt(3) == 0) {
                        proxy.loseResponses(1);
                    } else {
                        proxy.cutAll();
                    }
                }
            }, "cutter");
            cutter.start();
            Map<String, List<Integer>> winners = new ConcurrentHashMap<>();
            Future<?> racers = raceThroughCuts(viaProxy, winners);
            for (int batch = 0; batch < 10; batch++) {
                appendRecords(out, expected, batch * 40, batch * 40 + 40);
                if (batch % 3 == 2) {
                    out.sync();
                } else {
                    out.publish();
                }
                Thread.sleep(30);
            }
            racers.get(120, TimeUnit.SECONDS);
            stop.set(true);
            cutter.join();
            out.sync();
            assertThat(proxy.cut()).as("connections were cut").isPositive();
            assertThat(StoredBytes.read(direct, "s/w/cut.bkt")).isEqualTo(expected.toByteArray());
            assertThat(sumOfParts("s/w/cut.bkt")).as("nothing uploaded twice").isEqualTo(expected.size());
            winners.forEach((name, who) -> assertThat(who).as(name + ": at most one win reported").hasSizeLessThanOrEqualTo(1));
            for (Map.Entry<String, List<Integer>> e : winners.entrySet()) {
                if (e.getValue().size() == 1) {
                    assertThat(new String(StoredBytes.read(direct, e.getKey()), StandardCharsets.UTF_8))
                            .isEqualTo("racer " + e.getValue().get(0));
                }
            }
            assertThat(winners.values().stream().filter(w -> w.size() == 1).count())
                    .as("most races were decided despite the cuts").isPositive();
        } finally {
            stop.set(true);
        }
    }

    /** Four threads race for ten names through the cutting proxy; a cut may leave a call failed. */
    private Future<?> raceThroughCuts(S3Storage storage, Map<String, List<Integer>> winners) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        Future<?> all = Executors.newSingleThreadExecutor().submit(() -> {
            for (int n = 0; n < 10; n++) {
                String name = "race/cut-" + n;
                winners.put(name, new CopyOnWriteArrayList<>());
                CyclicBarrier start = new CyclicBarrier(4);
                List<Future<?>> calls = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int racer = t;
                    calls.add(pool.submit(() -> {
                        start.await();
                        try {
                            if (storage.putIfAbsent(name, ("racer " + racer).getBytes(StandardCharsets.UTF_8))) {
                                winners.get(name).add(racer);
                            }
                        } catch (IOException outcomeUnknown) {
                            // allowed: a cut can leave the outcome unknown; never a false win
                        }
                        return null;
                    }));
                }
                for (Future<?> f : calls) {
                    f.get();
                }
            }
            pool.shutdown();
            return null;
        });
        return all;
    }

    @Test
    void aFullSpoolRefusesAppendsWholeAndFreesRoomOnceSealedObjectsAreUploaded() throws Exception {
        try (S3Storage storage = S3Storage.open(new S3Location(S3ProxyServer.BUCKET, PREFIX),
                options(server.endpoint()).spoolLimitBytes(64 * 1024).partsGrace(Duration.ZERO).build())) {
            AppendableObject out = storage.create("s/w/full.bkt");
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            byte[] chunk = new byte[10_000];
            int accepted = 0;
            SpoolFullException full = null;
            for (int i = 0; i < 10 && full == null; i++) {
                random.nextBytes(chunk);
                try {
                    out.append(chunk, 0, chunk.length);
                    expected.write(chunk);
                    accepted++;
                } catch (SpoolFullException e) {
                    full = e;
                }
            }
            assertThat(full).as("refused beyond 64 KiB").isNotNull();
            assertThat(accepted).isEqualTo(6);
            assertThat(out.size()).isEqualTo(expected.size());
            assertThat(out.isBroken()).isFalse();
            out.append(chunk, 0, 4000); // what fits still goes in
            expected.write(chunk, 0, 4000);
            out.seal();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (storage.spooledBytes() > 0) {
                assertThat(System.nanoTime()).as("the sealed object leaves the spool").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(StoredBytes.read(storage, "s/w/full.bkt")).isEqualTo(expected.toByteArray());
            try (AppendableObject next = storage.create("s/w/next.bkt")) {
                next.append(new byte[60_000], 0, 60_000);
            }
        }
    }

    @Test
    void aLargeSealedObjectIsUploadedInPartsAndItsPublishedPartsAreRemoved() throws Exception {
        byte[] content = new byte[12 << 20];
        random.nextBytes(content);
        try (S3Storage storage = S3Storage.open(new S3Location(S3ProxyServer.BUCKET, PREFIX),
                options(server.endpoint()).partBytes(5 << 20).partsGrace(Duration.ofMillis(300)).build())) {
            AppendableObject out = storage.create("s/w/large.bkt");
            for (int at = 0; at < content.length; at += 1 << 20) {
                out.append(content, at, 1 << 20);
                if (at == 6 << 20) {
                    out.sync();
                }
            }
            assertThat(sumOfParts("s/w/large.bkt")).isPositive();
            out.seal();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (storage.spooledBytes() > 0) {
                assertThat(System.nanoTime()).as("sealed and its parts removed").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(sumOfParts("s/w/large.bkt")).isZero();
            try (S3Client c = server.client()) {
                var head = c.headObject(b -> b.bucket(S3ProxyServer.BUCKET).key(PREFIX + "/s/w/large.bkt"));
                assertThat(head.metadata()).doesNotContainKey(BucketClient.GROWING);
                assertThat(head.eTag()).as("a multipart upload's ETag").contains("-");
            }
            assertThat(StoredBytes.read(storage, "s/w/large.bkt")).isEqualTo(content);
            assertThat(storage.list("s/w/")).containsExactly("large.bkt");
        }
    }

    private void appendRecords(AppendableObject out, ByteArrayOutputStream expected, int from, int to)
            throws IOException {
        for (int n = from; n < to; n++) {
            byte[] r = S3WriterChild.record(n);
            out.append(r, 0, r.length);
            expected.write(r);
        }
    }

    private long sumOfParts(String name) {
        return StoredBytes.sum(StoredBytes.parts(server, new S3Location(S3ProxyServer.BUCKET, PREFIX), name));
    }
}
