package io.bucketlog.backend.s3;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One S3Proxy for a test class, with the test credentials in the SDK's system properties while
 * it runs, as an application would have them: {@code @RegisterExtension static final
 * S3ServerExtension S3 = S3ServerExtension.inMemory();}.
 */
final class S3ServerExtension implements BeforeAllCallback, AfterAllCallback {
    private final boolean inMemory;
    private Path dir;
    private S3ProxyServer server;

    private S3ServerExtension(boolean inMemory) {
        this.inMemory = inMemory;
    }

    /** On S3Proxy's transient (in memory) store. */
    static S3ServerExtension inMemory() {
        return new S3ServerExtension(true);
    }

    /** On S3Proxy's filesystem store. */
    static S3ServerExtension onFiles() {
        return new S3ServerExtension(false);
    }

    S3ProxyServer server() {
        return server;
    }

    /** A scratch directory of the test class (spools), deleted after it. */
    Path dir() {
        return dir;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("s3-test");
        server = inMemory ? S3ProxyServer.startInMemory(dir.resolve("server")) : S3ProxyServer.start(dir.resolve("server"));
        S3Hosts.useTestCredentials();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        S3Hosts.forgetTestCredentials();
        if (server != null) {
            server.close();
        }
        TestFiles.deleteTree(dir);
    }
}
