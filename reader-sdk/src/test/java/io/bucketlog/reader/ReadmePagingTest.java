package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's paging snippet, as written, on the first, middle, last and an empty page. */
class ReadmePagingTest {
    /** The snippet's lines, exactly as in the README; {@link #page} runs the same code. */
    private static final List<String> SNIPPET = List.of(
            "try (QueryResult page = reader.query(\"timeline\").key(\"user-42\").backward().limit(20)",
            ".after(previousCursor).iterator()) {",
            "page.forEachRemaining(this::show);",
            "nextCursor = page.cursor();");

    @TempDir
    Path dir;

    private final List<Event> shown = new ArrayList<>();
    private Cursor nextCursor;

    private void show(Event e) {
        shown.add(e);
    }

    /** The README's code, with its variables as fields and parameters. */
    private List<Event> page(BucketlogReader reader, Cursor previousCursor) {
        shown.clear();
        try (QueryResult page = reader.query("timeline").key("user-42").backward().limit(20)
                .after(previousCursor).iterator()) {
            page.forEachRemaining(this::show);
            nextCursor = page.cursor();
        }
        return List.copyOf(shown);
    }

    @Test
    void theReadmeSnippetIsTheCodeTestedHere() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        List<String> lines = readme.lines().map(String::strip).toList();
        for (String line : SNIPPET) {
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(line));
        }
    }

    @Test
    void pagesWalkEveryEventOnceAndAnEmptyPageKeepsItsCursor() {
        long base = TestStore.nowNanos() - 3600 * TestStore.SECOND;
        try (Store store = Store.open(dir)) {
            store.createStream("timeline", StreamConfig.builder().bucketBytes(1 << 20).build());
            try (Writer w = store.writer(TestStore.writerOptions(8))) {
                for (int i = 0; i < 45; i++) {
                    w.append("timeline", "user-42", base + i * TestStore.SECOND, Map.of(),
                            ("e" + i).getBytes(StandardCharsets.UTF_8));
                    w.append("timeline", "user-7", base + i * TestStore.SECOND, Map.of(),
                            ("other" + i).getBytes(StandardCharsets.UTF_8));
                }
                TestStore.flush(w);
            }
        }
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            List<String> all = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            Cursor previousCursor = null; // the first page
            for (int p = 0; p < 4; p++) {
                List<Event> got = page(reader, previousCursor);
                sizes.add(got.size());
                got.forEach(e -> all.add(e.bodyText()));
                // a page's cursor survives its string form, as a web page or a CLI would pass it
                previousCursor = nextCursor == null ? null : Cursor.parse(nextCursor.toString());
            }
            assertThat(sizes).containsExactly(20, 20, 5, 0);
            List<String> expected = new ArrayList<>();
            for (int i = 44; i >= 0; i--) {
                expected.add("e" + i);
            }
            assertThat(all).isEqualTo(expected);
            Cursor afterLast = previousCursor;
            assertThat(afterLast).isNotNull();
            assertThat(page(reader, afterLast)).isEmpty();
            assertThat(nextCursor).hasToString(afterLast.toString()); // empty page: same place
        }
    }

    @Test
    void anEmptyStreamsFirstPageIsEmptyWithNoCursorAndStartsAgainFromTheBeginning() {
        try (Store store = Store.open(dir)) {
            store.createStream("timeline", StreamConfig.builder().bucketBytes(1 << 20).build());
        }
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            assertThat(page(reader, null)).isEmpty();
            assertThat(nextCursor).isNull();
            assertThat(page(reader, nextCursor)).isEmpty();
        }
    }
}
