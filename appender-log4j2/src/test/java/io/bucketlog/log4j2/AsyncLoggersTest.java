package io.bucketlog.log4j2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketlog.Event;
import io.bucketlog.LogAttributes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.async.AsyncLoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * All-asynchronous loggers (Log4j2's own Disruptor, 3.x here) in front of the appender (our
 * relocated Disruptor 4): the two Disruptor versions share the class path without a clash.
 */
class AsyncLoggersTest {
    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        ThreadContext.clearAll();
    }

    @Test
    void classPathHoldsDisruptor3AndTheRelocatedDisruptor4() throws Exception {
        Class<?> theirs = Class.forName("com.lmax.disruptor.RingBuffer");
        assertThat(theirs.getProtectionDomain().getCodeSource().getLocation().toString())
                .contains("disruptor-3.4.4");
        // 4.x-only class, used by our ring writer: absent under its original name...
        assertThatThrownBy(() -> Class.forName("com.lmax.disruptor.BatchEventProcessorBuilder"))
                .isInstanceOf(ClassNotFoundException.class);
        // ...and present, relocated, inside the storage-core jar.
        Class<?> ours = Class.forName("io.bucketlog.internal.disruptor.BatchEventProcessorBuilder");
        assertThat(ours.getProtectionDomain().getCodeSource().getLocation().toString())
                .contains("bucketlog-storage-core");
    }

    @Test
    void allAsyncLoggersStoreEveryEventWithSnapshottedParameters() throws Exception {
        System.setProperty("bucketlog.dir", dir.toString());
        AsyncLoggerContext ctx = new AsyncLoggerContext("async", null, Stored.uri("async.xml"));
        Stored.start(ctx);
        int threads = 4;
        int perThread = 2_500;
        try {
            Logger probe = ctx.getLogger("async.probe");
            assertThat(probe.getClass().getName())
                    .isEqualTo("org.apache.logging.log4j.core.async.AsyncLogger");
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    Logger log = ctx.getLogger("async.worker" + id);
                    ThreadContext.put("userId", "user-" + id);
                    StringBuilder mutable = new StringBuilder();
                    for (int i = 0; i < perThread; i++) {
                        mutable.setLength(0);
                        mutable.append("v").append(i);
                        log.info("worker {} event {} value {}", id, i, mutable);
                        mutable.setLength(0);
                        mutable.append("CHANGED");
                    }
                }, "async-worker-" + t);
                th.start();
                workers.add(th);
            }
            for (Thread th : workers) {
                th.join();
            }
        } finally {
            ctx.stop();
        }
        List<Event> stored = Stored.events(dir, "async");
        assertThat(stored).hasSize(threads * perThread);
        Set<String> bodies = new HashSet<>();
        for (Event e : stored) {
            bodies.add(e.bodyText());
            String worker = e.attribute(LogAttributes.LOGGER).substring("async.worker".length());
            assertThat(e.key()).isEqualTo("user-" + worker);
            assertThat(e.attribute(LogAttributes.THREAD)).isEqualTo("async-worker-" + worker);
            assertThat(e.attribute("ctx.userId")).isEqualTo("user-" + worker);
        }
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                assertThat(bodies).contains("worker " + t + " event " + i + " value v" + i);
            }
        }
        assertThat(Stored.bucketsSealed(dir)).isNotEmpty().containsOnly(true);
    }
}
