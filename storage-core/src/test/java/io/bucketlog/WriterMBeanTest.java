package io.bucketlog;

import static io.bucketlog.Fixtures.body;
import static io.bucketlog.Fixtures.nowNanos;
import static io.bucketlog.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer's counters and backlog, read through the platform MBean server as JMX clients do. */
class WriterMBeanTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private static final StreamConfig SMALL = StreamConfig.builder().bucketBytes(4096).blockBytes(1024).build();

    @TempDir
    Path dir;

    private static ObjectName writerName(String name) throws JMException {
        return new ObjectName("io.bucketlog:type=Writer,name=" + name);
    }

    private static long attr(ObjectName on, String attribute) throws JMException {
        return ((Number) SERVER.getAttribute(on, attribute)).longValue();
    }

    @Test
    void aStalledWritersMBeanShowsTheFullRingTheGrowingLagAndEveryCountByReason() throws Exception {
        WriterTest.Stall stall = new WriterTest.Stall();
        try (Store store = Store.open(dir)) {
            store.createStream("s", SMALL);
            Writer w = store.writer(options().ringSize(4).errorListener(stall).name("mbean-stall").build());
            ObjectName on = writerName("mbean-stall");
            assertThat(SERVER.isRegistered(on)).isTrue();
            assertThat(SERVER.getAttribute(on, "WriterId")).isEqualTo(w.writerId());
            assertThat(attr(on, "RingCapacity")).isEqualTo(4);
            assertThat(attr(on, "RingRemaining")).isEqualTo(4);
            assertThat(attr(on, "WriteLagNanos")).isZero();

            stall.stall(w); // the writer thread is stuck on an unknown stream's event
            for (int i = 0; i < 3; i++) {
                assertThat(w.append("s", "k", nowNanos(), Map.of(), body(i, 10))).isTrue();
            }
            for (int i = 3; i < 8; i++) {
                assertThat(w.append("s", "k", nowNanos(), Map.of(), body(i, 10))).isFalse();
            }
            assertThat(attr(on, "RingRemaining")).isZero();
            assertThat(attr(on, "Appended")).isEqualTo(9);
            assertThat(attr(on, "DroppedRingFull")).isEqualTo(5);
            long lag = attr(on, "WriteLagNanos");
            assertThat(lag).isPositive();
            Fixtures.await("the lag to grow while the writer is stuck", () -> {
                try {
                    return attr(on, "WriteLagNanos") > lag;
                } catch (JMException e) {
                    throw new AssertionError(e);
                }
            });

            stall.release.countDown();
            Fixtures.flush(w);
            WriterStats stats = w.stats();
            assertThat(attr(on, "Written")).isEqualTo(3).isEqualTo(stats.written());
            assertThat(attr(on, "RejectedUnknownStream")).isEqualTo(1);
            assertThat(attr(on, "BytesWritten")).isPositive().isEqualTo(stats.bytesWritten());
            assertThat(attr(on, "BucketsOpened")).isEqualTo(1);
            assertThat(attr(on, "BucketsSealed")).isZero();
            assertThat(attr(on, "RingRemaining")).isEqualTo(4);
            assertThat(attr(on, "WriteLagNanos")).isZero();

            w.close();
            assertThat(SERVER.isRegistered(on)).as("unregistered at close").isFalse();
        }
    }

    @Test
    void bucketsSealedByRotationAreCounted() throws Exception {
        try (Store store = Store.open(dir)) {
            store.createStream("s", SMALL);
            try (Writer w = store.writer(options().name("mbean-rotation").build())) {
                for (int i = 0; i < 100; i++) {
                    w.append("s", "k" + i, nowNanos(), Map.of(), body(i, 200));
                }
                Fixtures.flush(w);
                ObjectName on = writerName("mbean-rotation");
                assertThat(attr(on, "BucketsSealed")).isPositive().isEqualTo(w.stats().bucketsSealed());
                assertThat(attr(on, "BucketsOpened")).isEqualTo(w.stats().bucketsOpened()).isGreaterThanOrEqualTo(attr(on, "BucketsSealed"));
            }
        }
    }

    @Test
    void writersWithOneNameGetNumberedMBeansAndEachIsUnregisteredByItsOwnClose() throws Exception {
        try (Store store = Store.open(dir)) {
            Writer first = store.writer(options().name("mbean-twin").build());
            Writer second = store.writer(options().name("mbean-twin").build());
            ObjectName one = writerName("mbean-twin");
            ObjectName two = writerName("mbean-twin-2");
            assertThat(SERVER.getAttribute(one, "WriterId")).isEqualTo(first.writerId());
            assertThat(SERVER.getAttribute(two, "WriterId")).isEqualTo(second.writerId());
            assertThat(SERVER.getAttribute(two, "Name")).isEqualTo("mbean-twin-2");
            first.close();
            assertThat(SERVER.isRegistered(one)).isFalse();
            assertThat(SERVER.isRegistered(two)).isTrue();
            second.close();
            assertThat(SERVER.isRegistered(two)).isFalse();
        }
    }

    @Test
    void aNameThatIsNotAnObjectNameValueIsQuoted() throws Exception {
        try (Store store = Store.open(dir); Writer w = store.writer(options().name("a,b=c").build())) {
            ObjectName on = new ObjectName("io.bucketlog:type=Writer,name=" + ObjectName.quote("a,b=c"));
            assertThat(SERVER.getAttribute(on, "WriterId")).isEqualTo(w.writerId());
        }
    }

    @Test
    void withoutANameTheWriterIdNamesTheMBean() throws Exception {
        try (Store store = Store.open(dir); Writer w = store.writer(options().build())) {
            assertThat(SERVER.isRegistered(writerName(w.writerId()))).isTrue();
        }
    }
}
