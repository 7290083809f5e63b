package io.bucketlog.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketlog.backend.file.FileStorage;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageResolverTest {
    @TempDir
    Path dir;

    @Test
    void aPlainPathOrFileUriIsADirectoryOfTheFileBackend() throws IOException {
        Path a = dir.resolve("with:colon");
        try (Storage s = StorageResolver.open(a.toString(), true)) {
            assertThat(s).isInstanceOf(FileStorage.class);
            assertThat(s.location()).isEqualTo(a.toAbsolutePath().toString());
        }
        assertThat(Files.isDirectory(a)).isTrue();
        Path b = dir.resolve("b");
        try (Storage s = StorageResolver.open(b.toUri().toString(), true)) {
            assertThat(s.location()).isEqualTo(b.toString());
        }
    }

    @Test
    void aMissingDirectoryIsNotCreatedWhenOpeningAnExistingStore() {
        Path missing = dir.resolve("typo");
        assertThatThrownBy(() -> StorageResolver.open(missing.toString(), false))
                .hasMessageContaining(missing.toString());
        assertThat(Files.exists(missing)).isFalse();
    }

    @Test
    void anUnknownSchemeIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> StorageResolver.open("gopher://host/logs", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gopher://host/logs")
                .hasMessageContaining("known schemes: file");
    }
}
