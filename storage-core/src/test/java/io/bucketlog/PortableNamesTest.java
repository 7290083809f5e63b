package io.bucketlog;

import static io.bucketlog.Fixtures.flush;
import static io.bucketlog.Fixtures.nowNanos;
import static io.bucketlog.Fixtures.options;
import static io.bucketlog.Fixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names that would collide on Windows or macOS file systems, and values with no UTF-8 form. */
class PortableNamesTest {
    private static final StreamConfig CONFIG = StreamConfig.builder().bucketBytes(1 << 20).build();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"con", "CON", "nul", "Nul.log", "aux", "prn", "com1", "LPT9", "lpt1.x",
        "x.", "app..."})
    void windowsDeviceNamesAndATrailingDotAreRefused(String name) {
        assertThat(Names.streamProblem(name)).isNotNull();
        try (Store store = Store.open(dir)) {
            assertThatThrownBy(() -> store.createStream(name, CONFIG))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid stream name");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"console", "com", "com0", "lpt10", "nully", "a.b", "x.1"})
    void namesThatOnlyLookLikeDevicesAreFine(String name) {
        assertThat(Names.streamProblem(name)).isNull();
    }

    @Test
    void aStreamDifferingOnlyInCaseFromAnExistingOneIsRefused() {
        try (Store store = Store.open(dir)) {
            store.createStream("App", CONFIG);
            assertThatThrownBy(() -> store.createStream("app", CONFIG))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only in case")
                    .hasMessageContaining("'App'");
            assertThat(store.createStream("App", CONFIG)).isEqualTo(CONFIG); // reopening is fine
            assertThat(store.streams()).containsExactly("App");
        }
    }

    @Test
    void ofTwoStoresCreatingNamesDifferingOnlyInCaseAtOnceExactlyOneSucceeds() throws Exception {
        for (int round = 0; round < 40; round++) {
            String upper = "Race" + round;
            String lower = "race" + round;
            try (Store a = Store.open(dir); Store b = Store.open(dir)) {
                CyclicBarrier start = new CyclicBarrier(2);
                CompletableFuture<Boolean> first = CompletableFuture
                        .supplyAsync(() -> create(a, upper, start));
                boolean second = create(b, lower, start);
                assertThat(first.get() ^ second).as("round " + round + ": exactly one of " + upper
                        + " and " + lower + " is created").isTrue();
                assertThat(a.streams().stream().filter(upper::equalsIgnoreCase).toList())
                        .as("round " + round).hasSize(1);
            }
        }
    }

    private static boolean create(Store store, String name, CyclicBarrier start) {
        try {
            start.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        try {
            store.createStream(name, CONFIG);
            return true;
        } catch (IllegalArgumentException refused) {
            assertThat(refused).hasMessageContaining("differ only in case");
            return false;
        }
    }

    @Test
    void anAttributeValueWithAnUnpairedSurrogateIsEscapedLikeAKey() {
        assertThat(Names.keyProblem("a\uD800b")).contains("unpaired surrogate");
        assertThat(Names.valueProblem("a\uD800b")).contains("unpaired surrogate");
        assertThat(Names.valueProblem("a\uDC00")).contains("unpaired surrogate");
        assertThat(Names.valueProblem("smile \uD83D\uDE00, line\nbreak")).isNull();
        List<String> errors = new CopyOnWriteArrayList<>();
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            try (Writer w = store.writer(options().errorListener((m, e) -> errors.add(m)).build())) {
                w.append("s", "k", nowNanos(), Map.of("v", "lone \uD800 high"), new byte[1]);
                w.append("s", "k", nowNanos(), Map.of("v", "fine \uD83D\uDE00"), new byte[1]);
                flush(w);
                assertThat(w.stats().rejected()).isZero();
                assertThat(w.stats().written()).isEqualTo(2);
            }
            List<Event> stored = readAll(store, ScanRequest.all("s"));
            assertThat(stored).extracting(e -> e.attribute("v"))
                    .containsExactly("lone \\ud800 high", "fine \uD83D\uDE00");
        }
        assertThat(errors).isEmpty();
    }
}
