package io.bucketlog.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.spi.AppendableObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backend counts its requests by the classes S3 bills them by, for the cost figures. */
class S3RequestCountsTest {
    @TempDir
    Path dir;

    @Test
    void eachRequestIsCountedOnceInItsBillingClass() throws Exception {
        S3Location location = new S3Location(S3ProxyServer.BUCKET, "counts");
        try (S3ProxyServer server = S3ProxyServer.startInMemory(dir.resolve("server"));
             S3Storage s = S3Storage.open(location, server.options(dir.resolve("spool")).build())) {
            S3Storage.Requests start = s.requests();
            assertThat(start.gets()).as("the bucket's HEAD at open").isEqualTo(1);

            s.putIfAbsent("a/b", new byte[10]);
            assertThat(s.requests().puts() - start.puts()).isEqualTo(1);
            S3Storage.Requests before = s.requests();
            assertThat(s.list("a/")).containsExactly("b");
            assertThat(StoredBytes.read(s, "a/b")).hasSize(10);
            S3Storage.Requests after = s.requests();
            assertThat(after.lists() - before.lists()).as("one page").isEqualTo(1);
            assertThat(after.gets() - before.gets()).as("a HEAD and a ranged GET at least").isGreaterThanOrEqualTo(2);
            assertThat(after.puts()).isEqualTo(before.puts());

            try (AppendableObject out = s.create("a/g")) {
                long puts = s.requests().puts();
                out.append(new byte[100], 0, 100);
                out.sync();
                assertThat(s.requests().puts() - puts).as("one part").isEqualTo(1);
            }
            long deletes = s.requests().deletes();
            assertThat(s.delete("a/b")).isTrue();
            assertThat(s.requests().deletes()).isGreaterThan(deletes);
        }
    }
}
