package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.LogAttributes;
import io.bucketlog.Store;
import io.bucketlog.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRecordTest {
    @TempDir
    Path dir;

    @Test
    void decodesWhatTheAppendersWrite() {
        long ts = Instant.parse("2026-11-26T07:00:00.123456789Z").getEpochSecond() * 1_000_000_000L
                + 123_456_789L;
        String stack = "java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\n";
        try (Store store = Store.open(dir)) {
            store.createStream("logs", TestStore.smallConfig());
            try (Writer w = store.writer(TestStore.writerOptions(2))) {
                w.append("logs", "com.example.Billing", ts, Map.of(
                        LogAttributes.LEVEL, "ERROR",
                        LogAttributes.LOGGER, "com.example.Billing",
                        LogAttributes.THREAD, "worker-3",
                        LogAttributes.MARKER, "AUDIT[SECURITY]",
                        LogAttributes.THROWN_CLASS, "java.lang.IllegalStateException",
                        LogAttributes.THROWN_MESSAGE, "boom",
                        LogAttributes.THROWN, stack,
                        LogAttributes.CONTEXT_PREFIX + "userId", "42",
                        LogAttributes.CONTEXT_PREFIX + "requestId", "r-7"),
                        "charge failed".getBytes(StandardCharsets.UTF_8));
                w.append("logs", "", ts + 1, Map.of(), "plain".getBytes(StandardCharsets.UTF_8));
            }
        }
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            List<LogRecord> logs = reader.query("logs").list().stream().map(LogRecord::of).toList();
            LogRecord r = logs.get(0);
            assertThat(r.timestamp()).isEqualTo(Instant.parse("2026-11-26T07:00:00.123456789Z"));
            assertThat(r.timestampNanos()).isEqualTo(ts);
            assertThat(r.level()).isEqualTo("ERROR");
            assertThat(r.priority()).isEqualTo(500);
            assertThat(r.logger()).isEqualTo("com.example.Billing");
            assertThat(r.thread()).isEqualTo("worker-3");
            assertThat(r.marker()).isEqualTo("AUDIT[SECURITY]");
            assertThat(r.message()).isEqualTo("charge failed");
            assertThat(r.thrown()).isEqualTo(new LogRecord.Thrown("java.lang.IllegalStateException",
                    "boom", stack));
            assertThat(r.context()).containsExactly(Map.entry("requestId", "r-7"),
                    Map.entry("userId", "42"));
            assertThat(r.event().key()).isEqualTo("com.example.Billing");

            LogRecord plain = logs.get(1);
            assertThat(plain.message()).isEqualTo("plain");
            assertThat(plain.level()).isNull();
            assertThat(plain.thrown()).isNull();
            assertThat(plain.context()).isEmpty();
        }
    }
}
