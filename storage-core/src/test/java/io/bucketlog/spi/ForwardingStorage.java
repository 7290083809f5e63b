package io.bucketlog.spi;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A storage that hands every call to another: the tests' fault injectors and counters override
 * what they change. In the test-jar, for every module's tests.
 */
public abstract class ForwardingStorage implements Storage {
    protected final Storage real;

    protected ForwardingStorage(Storage real) {
        this.real = real;
    }

    @Override
    public String location() {
        return real.location();
    }

    @Override
    public String locationOf(String name) {
        return real.locationOf(name);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return real.list(prefix);
    }

    @Override
    public String listingStamp(String prefix) throws IOException {
        return real.listingStamp(prefix);
    }

    @Override
    public Optional<ObjectVersion> stat(String name) throws IOException {
        return real.stat(name);
    }

    @Override
    public Optional<Instant> lastModified(String name) throws IOException {
        return real.lastModified(name);
    }

    @Override
    public Duration publishInterval() {
        return real.publishInterval();
    }

    @Override
    public ReadableObject openRead(String name) throws IOException {
        return real.openRead(name);
    }

    @Override
    public boolean putIfAbsent(String name, byte[] content) throws IOException {
        return real.putIfAbsent(name, content);
    }

    @Override
    public AppendableObject create(String name) throws IOException {
        return real.create(name);
    }

    @Override
    public AppendableObject reopen(String name, long expectedSize) throws IOException {
        return real.reopen(name, expectedSize);
    }

    @Override
    public boolean delete(String name) throws IOException {
        return real.delete(name);
    }

    @Override
    public void close() throws IOException {
        real.close();
    }
}
