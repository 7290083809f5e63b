package io.bucketlog.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.spi.AppendableObject;
import io.bucketlog.spi.ReadableObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A growing object becoming one whole object under readers that are in the middle of its parts. */
class S3SealTest {
    @TempDir
    Path dir;

    @Test
    void aReaderInTheMiddleOfThePartsReadsOnFromTheWholeObjectOnceThePartsAreGone() throws Exception {
        byte[] content = new byte[300_000];
        new Random().nextBytes(content);
        S3Location location = new S3Location(S3ProxyServer.BUCKET, "seal");
        try (S3ProxyServer server = S3ProxyServer.startInMemory(dir.resolve("server"));
             S3Storage writer = S3Storage.open(location, server.options(dir.resolve("spool"))
                     .partsGrace(Duration.ZERO).build());
             S3Storage reader = S3Storage.open(location, server.options(dir.resolve("spool")).build())) {
            AppendableObject out = writer.create("s/w/b.bkt");
            for (int at = 0; at < content.length; at += 50_000) {
                out.append(content, at, 50_000);
                out.sync(); // one part each
            }
            assertThat(StoredBytes.parts(server, location, "s/w/b.bkt")).hasSize(6);
            try (ReadableObject in = reader.openRead("s/w/b.bkt")) {
                byte[] got = new byte[content.length];
                assertThat(in.read(0, got, 0, 120_000)).isEqualTo(120_000);
                String partsGeneration = in.version().generation();

                out.seal();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!StoredBytes.parts(server, location, "s/w/b.bkt").isEmpty()) {
                    assertThat(System.nanoTime()).as("the parts are removed").isLessThan(deadline);
                    Thread.sleep(20);
                }

                assertThat(in.read(120_000, got, 120_000, content.length - 120_000))
                        .isEqualTo(content.length - 120_000);
                assertThat(got).isEqualTo(content);
                assertThat(in.version().size()).isEqualTo(content.length);
                assertThat(in.version().generation()).as("now the whole object's ETag").isNotEqualTo(partsGeneration);
            }
            assertThat(StoredBytes.read(reader, "s/w/b.bkt")).isEqualTo(content);
            assertThat(reader.list("s/w/")).containsExactly("b.bkt");
        }
    }

    /**
     * A seal replaces the growing object's head with one that lacks its metadata. S3 answers a
     * HEAD with the head before or after; S3Proxy's stores may answer a bare 400 while the
     * replacement is under way, which must not reach a reader as a failure.
     */
    @Test
    void objectsLookedAtWhileTheyAreSealedAreSeenGrowingOrWholeNeverAsAFailure() throws Exception {
        S3Location location = new S3Location(S3ProxyServer.BUCKET, "seal-race");
        int objects = 300;
        try (S3ProxyServer server = S3ProxyServer.startInMemory(dir.resolve("server"));
             S3Storage writer = S3Storage.open(location, server.options(dir.resolve("spool"))
                     .partsGrace(Duration.ZERO).build());
             S3Storage reader = S3Storage.open(location, server.options(dir.resolve("spool")).build())) {
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger sealing = new AtomicInteger();
            int[] looked = new int[1];
            Thread looker = new Thread(() -> {
                while (!done.get()) {
                    try {
                        reader.stat("s/w/" + sealing.get() + ".bkt");
                        looked[0]++;
                    } catch (Exception e) {
                        failures.add(e);
                    }
                }
            }, "looker");
            looker.start();
            byte[] content = new byte[1000];
            try {
                for (int i = 0; i < objects; i++) {
                    AppendableObject out = writer.create("s/w/" + i + ".bkt");
                    sealing.set(i);
                    out.append(content, 0, content.length);
                    out.sync();
                    out.seal();
                    out.close();
                }
            } finally {
                done.set(true);
                looker.join();
            }
            assertThat(failures).isEmpty();
            assertThat(looked[0]).isGreaterThan(objects);
            for (int i = 0; i < objects; i++) {
                assertThat(reader.stat("s/w/" + i + ".bkt")).hasValueSatisfying(v ->
                        assertThat(v.size()).isEqualTo(content.length));
            }
        }
    }
}
