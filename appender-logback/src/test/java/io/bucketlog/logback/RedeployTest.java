package io.bucketlog.logback;

import static io.bucketlog.logback.LogbackConfigs.configure;
import static io.bucketlog.logback.LogbackConfigs.readAll;
import static io.bucketlog.logback.LogbackConfigs.rootAppender;
import static io.bucketlog.logback.LogbackConfigs.statuses;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import io.bucketlog.Compression;
import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** An application redeployed with changed stream options keeps logging. */
class RedeployTest {
    @TempDir
    Path dir;

    @AfterEach
    void stopAppenders() {
        LogbackConfigs.context().reset();
    }

    /** Configures options.xml with these options, logs one message; returns the warnings. */
    private List<String> deploy(Map<String, String> options, String message) {
        Map<String, String> p = new HashMap<>(options);
        p.put("directory", dir.toString());
        p.put("stream", "app");
        LoggerContext ctx = configure("options.xml", p);
        assertThat(rootAppender(ctx).isStarted()).as("started with %s", options).isTrue();
        assertThat(statuses(ctx, Status.ERROR)).isEmpty();
        LoggerFactory.getLogger("x").info(message);
        List<String> warnings = statuses(ctx, Status.WARN).stream().map(Status::getMessage)
                .filter(m -> m.startsWith("Bucketlog appender [BUCKETLOG]")).toList();
        ctx.reset(); // stops the appender: drains and seals
        return warnings;
    }

    @Test
    void changedBucketSizeWidthAndCompressionTakeEffectForNewBucketsWithoutAWarning() {
        assertThat(deploy(Map.of("bucketSize", "8MB", "bucketWidth", "1h"), "first")).isEmpty();
        assertThat(deploy(Map.of("bucketSize", "16MB", "bucketWidth", "15m", "compression", "none"),
                "second")).isEmpty();
        try (Store store = Store.open(dir)) {
            StreamConfig now = store.streamConfig("app").orElseThrow();
            assertThat(now.bucketBytes()).isEqualTo(16 << 20);
            assertThat(now.bucketWidth()).isEqualTo(Duration.ofMinutes(15));
            assertThat(now.compression()).isEqualTo(Compression.NONE);
        }
        assertThat(readAll(dir, "app")).extracting(Event::bodyText).containsExactly("first", "second");
    }

    @Test
    void aChangedIndexWindowKeepsTheStoredOneWithOneWarningInTheUsersWords() {
        assertThat(deploy(Map.of("indexWindow", "2h", "bucketWidth", "1h"), "first")).isEmpty();
        List<String> warnings = deploy(Map.of("indexWindow", "1d", "bucketWidth", "1h"), "second");
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("indexWindow=1d").contains("keeps indexWindow=2h")
                .doesNotContain("PT");
        assertThat(readAll(dir, "app")).extracting(Event::bodyText).containsExactly("first", "second");
    }

    @Test
    void aBucketWidthThatDoesNotDivideTheDefaultIndexWindowNamesBucketWidth() {
        LoggerContext ctx = configure("options.xml", Map.of("directory", dir.toString(), "bucketWidth", "7m"));
        assertThat(rootAppender(ctx).isStarted()).isFalse();
        List<Status> errors = statuses(ctx, Status.ERROR);
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).getMessage()).contains("'7m' for option 'bucketWidth'")
                .doesNotContain("'indexWindow'");
    }
}
