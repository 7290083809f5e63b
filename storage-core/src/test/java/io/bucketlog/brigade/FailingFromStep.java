package io.bucketlog.brigade;

import io.bucketlog.spi.AppendableObject;
import io.bucketlog.spi.ForwardingStorage;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A storage whose every change from the {@code n}-th on fails, as if the process died just before
 * it: creates, appends, syncs, seals, puts and deletes are counted (over every volume sharing the
 * counter), reads are not. With {@code n} beyond the count, nothing fails and the count says how
 * many changes a run made.
 */
final class FailingFromStep extends ForwardingStorage {
    private final AtomicInteger steps;
    private final int failFrom;

    FailingFromStep(Storage real, AtomicInteger steps, int failFrom) {
        super(real);
        this.steps = steps;
        this.failFrom = failFrom;
    }

    private void step(String what) throws IOException {
        if (steps.incrementAndGet() >= failFrom) {
            throw new IOException("injected: the brigade died before " + what);
        }
    }

    @Override
    public boolean putIfAbsent(String name, byte[] content) throws IOException {
        step("putting " + name);
        return real.putIfAbsent(name, content);
    }

    @Override
    public AppendableObject create(String name) throws IOException {
        step("creating " + name);
        return new Counted(real.create(name));
    }

    @Override
    public AppendableObject reopen(String name, long expectedSize) throws IOException {
        step("reopening " + name);
        return new Counted(real.reopen(name, expectedSize));
    }

    @Override
    public boolean delete(String name) throws IOException {
        step("deleting " + name);
        return real.delete(name);
    }

    private final class Counted implements AppendableObject {
        private final AppendableObject real;

        Counted(AppendableObject real) {
            this.real = real;
        }

        @Override
        public String name() {
            return real.name();
        }

        @Override
        public long size() {
            return real.size();
        }

        @Override
        public void append(byte[] bytes, int offset, int length) throws IOException {
            step("appending to " + real.name());
            real.append(bytes, offset, length);
        }

        @Override
        public void sync() throws IOException {
            step("syncing " + real.name());
            real.sync();
        }

        @Override
        public void seal() throws IOException {
            step("sealing " + real.name());
            real.seal();
        }

        @Override
        public boolean isBroken() {
            return real.isBroken();
        }

        @Override
        public void close() throws IOException {
            real.close(); // not a change: a dead process's files are closed by its OS
        }
    }
}
