package io.bucketlog.backend.s3;

import io.bucketlog.spi.Storage;
import io.bucketlog.spi.StorageContractTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The backend contract on a real S3 server (S3Proxy, in memory); each test in a prefix of its own. */
class S3StorageContractTest extends StorageContractTest {
    private static final AtomicInteger TESTS = new AtomicInteger();
    private static Path serverDir;
    private static S3ProxyServer server;

    private String prefix;

    @BeforeAll
    static void startServer() throws Exception {
        serverDir = Files.createTempDirectory("s3proxy-contract");
        server = S3ProxyServer.startInMemory(serverDir);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        TestFiles.deleteTree(serverDir);
    }

    private S3Options options() {
        return server.options(scratch.resolve("spool"))
                .publishInterval(Duration.ofMillis(200))
                .partsGrace(Duration.ofMillis(500))
                .build();
    }

    @Override
    protected Storage newStorage() throws IOException {
        prefix = "contract/t" + TESTS.incrementAndGet();
        return S3Storage.open(new S3Location(S3ProxyServer.BUCKET, prefix), options());
    }

    @Override
    protected Storage secondHandle(Storage first) throws IOException {
        return S3Storage.open(new S3Location(S3ProxyServer.BUCKET, prefix), options());
    }

    @Override
    protected ChildStorage childStorage(Storage first) {
        String location = "s3://" + S3ProxyServer.BUCKET + "/" + prefix + "?endpoint=" + server.endpoint()
                + "&region=us-east-1&path-style=true&spool=" + scratch.resolve("child-spool");
        return new ChildStorage(S3StorageProvider.class, location, List.of(
                "-Daws.accessKeyId=" + S3ProxyServer.ACCESS_KEY, "-Daws.secretAccessKey=" + S3ProxyServer.SECRET));
    }
}
