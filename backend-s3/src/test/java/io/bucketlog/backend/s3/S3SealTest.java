package io.bucketlog.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.spi.AppendableObject;
import io.bucketlog.spi.ReadableObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
}
