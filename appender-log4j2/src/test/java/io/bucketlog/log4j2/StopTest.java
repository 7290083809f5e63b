package io.bucketlog.log4j2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketlog.WriterStats;
import java.nio.file.Path;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a stopped appender leaves behind: its final counters, and no open store. */
class StopTest {
    @TempDir
    Path dir;

    @Test
    void statsAreEmptyBeforeTheFirstStartAndTheStoppedWritersFinalCountsAfterStop() {
        BucketlogAppender unstarted = BucketlogAppender.newBuilder().setName("unstarted")
                .setDirectory(dir.toString()).build();
        assertThat(unstarted.stats()).isEqualTo(WriterStats.EMPTY);
        assertThat(unstarted.writerId()).isNull();
        unstarted.stop();
        assertThat(unstarted.stats()).isEqualTo(WriterStats.EMPTY);

        System.setProperty("bucketlog.dir", dir.toString());
        LoggerContext ctx = Stored.start("stop", "mapping.xml");
        BucketlogAppender appender = ctx.getConfiguration().getAppender("store");
        String id = appender.writerId();
        Logger log = ctx.getLogger("com.example.Stop");
        for (int i = 0; i < 3; i++) {
            log.info("event {}", i);
        }
        ctx.stop();
        WriterStats last = appender.stats();
        assertThat(last.appended()).isEqualTo(3);
        assertThat(last.written()).isEqualTo(3);
        assertThat(last.lost()).isZero();
        assertThat(last.bucketsSealed()).isEqualTo(last.bucketsOpened()).isPositive();
        assertThat(appender.writerId()).isEqualTo(id);
    }

    @Test
    void stoppingTheAppenderClosesItsStore() {
        System.setProperty("bucketlog.dir", dir.toString());
        LoggerContext ctx = Stored.start("stop-closes", "mapping.xml");
        BucketlogAppender appender = ctx.getConfiguration().getAppender("store");
        ctx.getLogger("com.example.Stop").info("one");
        ctx.stop();
        assertThat(appender.isStopped()).isTrue();
        // The store makes no new writer once closed, so a second start fails instead of writing
        // through a store that nothing would close.
        assertThatThrownBy(appender::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        assertThat(appender.isStarted()).isFalse();
        assertThat(appender.stats().written()).isEqualTo(1);
    }
}
