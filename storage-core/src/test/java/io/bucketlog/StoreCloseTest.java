package io.bucketlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreCloseTest {
    @TempDir
    Path dir;

    @Test
    void closingAStoreClosesItsWritersAndMakesNoNewOne() {
        Store store = Store.open(dir);
        store.createStream("logs", StreamConfig.builder().bucketBytes(StreamConfig.MIN_BUCKET_BYTES).build());
        Writer open = store.writer();
        store.close();
        assertThat(open.append("logs", "k", 1, java.util.Map.of(), new byte[] {1}))
                .as("append to a writer closed with its store").isFalse();
        assertThat(open.stats().droppedClosed()).isEqualTo(1);
        assertThatThrownBy(store::writer)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        store.close(); // closing twice is harmless
    }
}
