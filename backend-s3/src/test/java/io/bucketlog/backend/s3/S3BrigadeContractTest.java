package io.bucketlog.backend.s3;

import io.bucketlog.Store;
import io.bucketlog.spi.BrigadeContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The brigade on S3, as on every backend: brigades, writers and readers each on their own "host"
 * (store handle and spool) racing on one prefix of a real S3 server (S3Proxy).
 */
class S3BrigadeContractTest extends BrigadeContractTest {
    @TempDir
    static Path dir;
    private static S3ProxyServer server;
    private static int stores;
    private String prefix;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.startInMemory(dir.resolve("server"));
        S3Hosts.useTestCredentials();
    }

    @AfterAll
    static void stopServer() {
        server.close();
        S3Hosts.forgetTestCredentials();
    }

    @Override
    protected void newStore() {
        prefix = "brigade-" + ++stores;
    }

    private String location(String host) {
        return S3Hosts.location(server, prefix, dir.resolve("spool-" + prefix + "-" + host));
    }

    @Override
    protected Store open(String host) {
        return Store.open(location(host));
    }

    @Override
    protected ChildStore child(String host) {
        return new ChildStore(location(host), S3Hosts.credentialOptions());
    }
}
