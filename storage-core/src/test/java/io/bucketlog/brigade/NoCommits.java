package io.bucketlog.brigade;

import io.bucketlog.spi.ForwardingStorage;
import io.bucketlog.spi.Storage;
import java.io.IOException;

/**
 * A storage on which every commit is lost to another brigade and deleting fails as if the
 * brigade died there: what a brigade leaves when it is killed right after losing the race.
 */
final class NoCommits extends ForwardingStorage {
    NoCommits(Storage real) {
        super(real);
    }

    @Override
    public boolean putIfAbsent(String name, byte[] content) throws IOException {
        return name.contains("/commit-") ? false : real.putIfAbsent(name, content);
    }

    @Override
    public boolean delete(String name) {
        return false;
    }
}
