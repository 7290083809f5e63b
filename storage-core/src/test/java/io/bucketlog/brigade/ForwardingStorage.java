package io.bucketlog.brigade;

import io.bucketlog.spi.AppendableObject;
import io.bucketlog.spi.ObjectVersion;
import io.bucketlog.spi.ReadableObject;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A storage that hands every call to another: the tests' fault injectors override what they change. */
abstract class ForwardingStorage implements Storage {
    protected final Storage real;

    ForwardingStorage(Storage real) {
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
