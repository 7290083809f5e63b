package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketlog.backend.file.FileStorage;
import io.bucketlog.internal.store.StoreObject;
import io.bucketlog.spi.ObjectVersion;
import io.bucketlog.spi.ReadableObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kept handles on sealed buckets: shared while in use, closed only when pushed out and unused. */
class SealedHandlesTest {
    @TempDir
    Path dir;

    @Test
    void aHandlePushedOutWhileAQueryReadsItStaysReadableUntilGivenBack() throws IOException {
        FileStorage volume = new FileStorage(dir);
        StoreObject a = object(volume, "s/w/a.bkt", "aaaa");
        StoreObject b = object(volume, "s/w/b.bkt", "bbbb");
        SealedHandles handles = new SealedHandles(1);
        ReadableObject first = handles.open(a, version(a));
        handles.open(b, version(b)).close(); // pushes a out while first holds it
        handles.open(b, version(b)).close();
        assertThat(handles.size()).isEqualTo(1);
        assertThat(read(first)).isEqualTo("aaaa");
        first.close();
        first.close(); // giving back twice takes one use only
        assertThatThrownBy(() -> read(first)).isInstanceOf(IOException.class);
        ReadableObject again = handles.open(a, version(a));
        assertThat(read(again)).isEqualTo("aaaa");
        again.close();
    }

    @Test
    void aHandleIsKeptPerVersionSoARewrittenFileIsOpenedAnew() throws IOException {
        FileStorage volume = new FileStorage(dir);
        StoreObject a = object(volume, "s/w/a.bkt", "aaaa");
        SealedHandles handles = new SealedHandles(8);
        ObjectVersion old = version(a);
        try (ReadableObject h = handles.open(a, old)) {
            assertThat(read(h)).isEqualTo("aaaa");
        }
        Files.delete(volume.path(a.name()));
        Files.writeString(volume.path(a.name()), "cccccc");
        try (ReadableObject h = handles.open(a, version(a))) {
            assertThat(read(h)).isEqualTo("cccccc");
        }
        assertThat(handles.size()).isEqualTo(2);
        handles.clear();
        assertThat(handles.size()).isZero();
    }

    private static StoreObject object(FileStorage volume, String name, String content)
            throws IOException {
        Files.createDirectories(volume.path(name).getParent());
        Files.writeString(volume.path(name), content);
        return new StoreObject(volume, name);
    }

    private static ObjectVersion version(StoreObject o) throws IOException {
        return o.storage().stat(o.name()).orElseThrow();
    }

    private static String read(ReadableObject h) throws IOException {
        byte[] b = new byte[(int) h.size()];
        h.read(0, b, 0, b.length);
        return new String(b, StandardCharsets.UTF_8);
    }
}
