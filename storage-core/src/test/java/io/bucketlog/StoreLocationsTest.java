package io.bucketlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store is opened by location strings as well as by paths; a local one's location is its path. */
class StoreLocationsTest {
    @TempDir
    Path dir;

    private final StreamConfig config = StreamConfig.builder().bucketBytes(1 << 20).build();

    @Test
    void aStoreOpenedByLocationStringsIsTheStoreOfThosePaths() {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        try (Store store = Store.open(a.toString(), b.toUri().toString())) {
            store.createStream("s", config);
            assertThat(store.location()).isEqualTo(a.toAbsolutePath().toString());
            assertThat(store.locations()).containsExactly(a.toString(), b.toString());
        }
        try (Store again = Store.openExisting(List.of(a, b))) {
            assertThat(again.streams()).containsExactly("s");
            assertThatThrownBy(() -> again.scan(ScanRequest.all("nope")))
                    .isInstanceOf(UnknownStreamException.class)
                    .hasMessage("no stream 'nope' in store " + a.toAbsolutePath());
        }
    }

    @Test
    void aLocationOfAnUnknownBackendIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> Store.open("gopher://host/logs"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gopher://host/logs").hasMessageContaining("file");
    }

    @Test
    void openingAnExistingStoreWhereThereIsNoneCreatesNothing() {
        Path missing = dir.resolve("typo");
        assertThatThrownBy(() -> Store.openExisting(missing.toString()))
                .isInstanceOf(BucketlogException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("not a Bucketlog store");
        assertThat(Files.exists(missing)).isFalse();
    }
}
