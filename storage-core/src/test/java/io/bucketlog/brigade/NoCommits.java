package io.bucketlog.brigade;

import io.bucketlog.spi.AppendableObject;
import io.bucketlog.spi.ObjectVersion;
import io.bucketlog.spi.ReadableObject;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A storage on which every commit is lost to another brigade and deleting fails as if the
 * brigade died there: what a brigade leaves when it is killed right after losing the race.
 */
final class NoCommits implements Storage {
    private final Storage real;

    NoCommits(Storage real) {
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
    public ReadableObject openRead(String name) throws IOException {
        return real.openRead(name);
    }

    @Override
    public boolean putIfAbsent(String name, byte[] content) throws IOException {
        return name.contains("/commit-") ? false : real.putIfAbsent(name, content);
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
    public boolean delete(String name) {
        return false;
    }

    @Override
    public void close() throws IOException {
        real.close();
    }
}
