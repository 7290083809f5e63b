package io.bucketlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreOneHourBucketsOneDayIndexLz4() {
        StreamConfig c = StreamConfig.builder().bucketBytes(1 << 20).build();
        assertThat(c.bucketWidth()).isEqualTo(Duration.ofHours(1));
        assertThat(c.indexWindow()).isEqualTo(Duration.ofDays(1));
        assertThat(c.compression()).isEqualTo(Compression.LZ4);
        assertThat(c.retention()).isEmpty();
    }

    @Test
    void bucketBytesIsRequired() {
        assertThatThrownBy(() -> StreamConfig.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucketBytes");
        assertThatThrownBy(() -> StreamConfig.builder().bucketBytes(100).build())
                .hasMessageContaining("bucketBytes must be at least");
    }

    @Test
    void indexWindowMustBeAMultipleOfTheBucketWidth() {
        assertThatThrownBy(() -> StreamConfig.builder().bucketBytes(1 << 20)
                .bucketWidth(Duration.ofMinutes(7)).indexWindow(Duration.ofMinutes(30)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple of bucketWidth");
        StreamConfig ok = StreamConfig.builder().bucketBytes(1 << 20)
                .bucketWidth(Duration.ofMinutes(10)).indexWindow(Duration.ofMinutes(30)).build();
        assertThat(ok.indexWindowNanos()).isEqualTo(3 * ok.bucketWidthNanos());
    }

    @Test
    void widthsMustBeWholePositiveSeconds() {
        assertThatThrownBy(() -> StreamConfig.builder().bucketBytes(1 << 20)
                .bucketWidth(Duration.ofMillis(1500)).build()).hasMessageContaining("whole number of seconds");
        assertThatThrownBy(() -> StreamConfig.builder().bucketBytes(1 << 20)
                .bucketWidth(Duration.ZERO).build()).hasMessageContaining("bucketWidth");
        assertThatThrownBy(() -> StreamConfig.builder().bucketBytes(1 << 20)
                .bucketWidth(Duration.ofSeconds(-60)).build()).hasMessageContaining("bucketWidth");
        assertThatThrownBy(() -> StreamConfig.builder().bucketBytes(1 << 20)
                .blockBytes(10).build()).hasMessageContaining("blockBytes");
        assertThatThrownBy(() -> StreamConfig.builder().bucketBytes(1 << 20)
                .retention(Duration.ofSeconds(-1)).build()).hasMessageContaining("retention");
    }

    @Test
    void configIsPersistedAndReopenedAndConflictsAreRefused() {
        StreamConfig c = StreamConfig.builder().bucketBytes(8 << 20).bucketWidth(Duration.ofMinutes(5))
                .indexWindow(Duration.ofHours(1)).compression(Compression.NONE)
                .retention(Duration.ofDays(7)).build();
        try (Store store = Store.open(dir)) {
            assertThat(store.createStream("orders", c)).isEqualTo(c);
            assertThat(store.createStream("orders", c)).isEqualTo(c); // same config: opens it
        }
        assertThat(Files.isRegularFile(dir.resolve("orders").resolve("stream.conf"))).isTrue();
        try (Store store = Store.open(dir)) {
            assertThat(store.streamConfig("orders")).contains(c);
            assertThat(store.streams()).containsExactly("orders");
            StreamConfig other = StreamConfig.builder().bucketBytes(8 << 20).build();
            assertThatThrownBy(() -> store.createStream("orders", other))
                    .isInstanceOf(StreamConfigConflictException.class)
                    .hasMessageContaining("'orders' exists with a different configuration")
                    .hasMessageContaining("compression=NONE")
                    .hasMessageContaining("compression=LZ4");
            assertThat(store.streamConfig("orders")).contains(c);
        }
    }

    @Test
    void damagedStreamConfigIsAClearError() throws Exception {
        try (Store store = Store.open(dir)) {
            store.createStream("s", StreamConfig.builder().bucketBytes(1 << 20).build());
        }
        Path conf = dir.resolve("s").resolve("stream.conf");
        Files.writeString(conf, Files.readString(conf).replaceAll("bucket\\.bytes=\\d+", "bucket.bytes=lots"));
        try (Store store = Store.open(dir)) {
            assertThatThrownBy(() -> store.streamConfig("s"))
                    .isInstanceOf(BucketlogException.class).hasMessageContaining("is damaged");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../x", "a/b", "a\\b", "/abs", ".hidden", "-flag",
        "tab\there", "nul\0", "é", "a b"})
    void badStreamNamesAreRefused(String name) {
        Path root = dir.resolve("store"); // its parent is this test's own, for "../x"
        try (Store store = Store.open(root)) {
            assertThatThrownBy(() -> store.createStream(name, StreamConfig.builder().bucketBytes(1 << 20).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid stream name");
        }
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void streamNamesAreBounded() {
        assertThat(Names.streamProblem("a".repeat(Names.MAX_STREAM_LENGTH))).isNull();
        assertThat(Names.streamProblem("a".repeat(Names.MAX_STREAM_LENGTH + 1))).contains("longer than");
        assertThat(Names.streamProblem("app.log-2_x")).isNull();
    }

    /**
     * keyProblem gives the first problem of the rules, in this order: no control character anywhere,
     * no unpaired surrogate, at most MAX_KEY_BYTES of UTF-8; a key of more chars than that is
     * refused before it is read.
     */
    @Test
    void aKeysProblemIsTheOneTheRulesNameFirst() {
        String[] pieces = {"a", "\n", "\u007f", "\u0085", "\u00a0", "\u00e9", "\u20ac", "\uD83D\uDE00", "\uD800",
            "\uDC00", "k".repeat(300)};
        java.util.Random r = new java.util.Random(9);
        for (int step = 0; step < 20_000; step++) {
            StringBuilder key = new StringBuilder();
            int n = r.nextInt(step % 4 == 0 ? 8 : 40);
            for (int i = 0; i < n; i++) {
                String piece = pieces[r.nextInt(pieces.length)];
                // control characters and surrogates rarely, so that long valid keys are common too
                key.append(piece.length() == 1 && piece.charAt(0) < 0xa0 && r.nextInt(8) != 0 ? "b" : piece);
            }
            String k = key.toString();
            String expected;
            if (k.length() > Names.MAX_KEY_BYTES) {
                expected = "longer than " + Names.MAX_KEY_BYTES + " bytes";
            } else if (k.chars().anyMatch(Character::isISOControl)) {
                expected = "contains a control character";
            } else if (Names.valueProblem(k) != null) {
                expected = "contains an unpaired surrogate (not valid Unicode)";
            } else if (k.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Names.MAX_KEY_BYTES) {
                expected = "longer than " + Names.MAX_KEY_BYTES + " bytes";
            } else {
                expected = null;
            }
            assertThat(Names.keyProblem(key)).as("key %s", k).isEqualTo(expected);
        }
    }

    @Test
    void keysRefuseControlCharactersAndExcessLength() {
        assertThat(Names.keyProblem("")).isNull();
        assertThat(Names.keyProblem("user-42")).isNull();
        assertThat(Names.keyProblem("a\nb")).contains("control character");
        assertThat(Names.keyProblem("a\u0000")).contains("control character");
        assertThat(Names.keyProblem("k".repeat(Names.MAX_KEY_BYTES))).isNull();
        assertThat(Names.keyProblem("k".repeat(Names.MAX_KEY_BYTES + 1))).contains("longer than");
        // 600 two-byte characters: under the char limit, over the byte limit
        assertThat(Names.keyProblem("é".repeat(600))).contains("longer than");
        assertThatThrownBy(() -> new ScanRequest("s", "bad\u0007key", 0, 1, Direction.FORWARD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid key");
        assertThatThrownBy(() -> new ScanRequest("../s", null, 0, 1, Direction.FORWARD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid stream name");
    }

    @Test
    void storeDirectoriesMustBeReopenedInTheSameOrder() {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Store.open(a, b).close();
        Store.open(a, b).close();
        assertThatThrownBy(() -> Store.open(b, a)).isInstanceOf(BucketlogException.class)
                .hasMessageContaining("same order");
        assertThatThrownBy(() -> Store.open(a)).isInstanceOf(BucketlogException.class);
        assertThatThrownBy(() -> Store.openExisting(java.util.List.of(dir.resolve("typo"))))
                .isInstanceOf(BucketlogException.class).hasMessageContaining("not a Bucketlog store");
    }
}
