package io.bucketlog.backend.s3;

import io.bucketlog.Store;
import io.bucketlog.spi.BrigadeContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The brigade on S3, as on every backend: brigades, writers and readers each on their own "host"
 * (store handle and spool) racing on one prefix of a real S3 server (S3Proxy).
 */
class S3BrigadeContractTest extends BrigadeContractTest {
    @RegisterExtension
    static final S3ServerExtension S3 = S3ServerExtension.inMemory();
    private static int stores;
    private String prefix;

    @Override
    protected void newStore() {
        prefix = "brigade-" + ++stores;
    }

    private String location(String host) {
        return S3Hosts.location(S3.server(), prefix, S3.dir().resolve("spool-" + prefix + "-" + host));
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
