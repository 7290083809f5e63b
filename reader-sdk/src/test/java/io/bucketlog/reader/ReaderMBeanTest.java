package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Store;
import io.bucketlog.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reader's cache hits and bytes read, through the platform MBean server. */
class ReaderMBeanTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    @TempDir
    Path dir;

    private static long attr(ObjectName on, String attribute) throws JMException {
        return ((Number) SERVER.getAttribute(on, attribute)).longValue();
    }

    @Test
    void aSecondQueryOfSealedBucketsIsServedFromTheCachesAndBytesReadAddUp() throws Exception {
        try (Store store = Store.open(dir)) {
            store.createStream("s", TestStore.smallConfig());
            try (Writer w = store.writer(TestStore.writerOptions(4))) {
                for (int i = 0; i < 500; i++) {
                    w.append("s", "user" + (i % 5), TestStore.nowNanos(), Map.of(),
                            ("event " + i).getBytes(StandardCharsets.UTF_8));
                }
            } // sealed
        }
        ObjectName on = new ObjectName("io.bucketlog:type=Reader,name=reader-mbean-test");
        try (BucketlogReader reader = BucketlogReader.builder().directories(dir)
                .name("reader-mbean-test").build()) {
            assertThat(attr(on, "BytesRead")).isZero();
            assertThat(reader.query("s").list()).hasSize(500);
            long footerMisses = attr(on, "FooterCacheMisses");
            long bytesAfterFirst = attr(on, "BytesRead");
            assertThat(footerMisses).isPositive();
            assertThat(attr(on, "FooterCacheHits")).isZero();
            assertThat(attr(on, "IndexCacheMisses")).isPositive();
            assertThat(bytesAfterFirst).isPositive();

            assertThat(reader.query("s").list()).hasSize(500);
            assertThat(attr(on, "FooterCacheHits")).isEqualTo(footerMisses);
            assertThat(attr(on, "FooterCacheMisses")).isEqualTo(footerMisses);
            assertThat(attr(on, "IndexCacheHits")).isPositive();
            long secondQueryBytes = attr(on, "BytesRead") - bytesAfterFirst;
            assertThat(secondQueryBytes).as("the blocks again, no footer and no index").isPositive()
                    .isLessThan(bytesAfterFirst);
        }
        assertThat(SERVER.isRegistered(on)).as("unregistered at close").isFalse();
    }

    @Test
    void twoReadersOfOneStoreGetTwoMBeans() throws Exception {
        try (Store store = Store.open(dir)) {
            store.createStream("s", TestStore.smallConfig());
        }
        try (BucketlogReader a = BucketlogReader.open(dir); BucketlogReader b = BucketlogReader.open(dir)) {
            String name = dir.toAbsolutePath().normalize().toString();
            java.util.List<Object> names = new java.util.ArrayList<>();
            for (ObjectName on : SERVER.queryNames(new ObjectName("io.bucketlog:type=Reader,*"), null)) {
                names.add(SERVER.getAttribute(on, "Name"));
            }
            assertThat(names).contains(name, name + "-2");
            assertThat(a.streams()).isEqualTo(b.streams()).containsExactly("s");
        }
    }

    @Test
    void aReaderBuiltWithoutJmxRegistersNoMBean() throws Exception {
        try (Store store = Store.open(dir)) {
            store.createStream("s", TestStore.smallConfig());
        }
        ObjectName on = new ObjectName("io.bucketlog:type=Reader,name=reader-without-jmx");
        try (BucketlogReader reader = BucketlogReader.builder().directories(dir).name("reader-without-jmx")
                .jmx(false).build()) {
            assertThat(reader.streams()).containsExactly("s");
            assertThat(SERVER.isRegistered(on)).isFalse();
        }
    }
}
