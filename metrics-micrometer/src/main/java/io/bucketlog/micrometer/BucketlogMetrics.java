package io.bucketlog.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;

/**
 * Every Bucketlog writer and reader of this JVM as Micrometer meters, tagged with its
 * {@code name}. The appenders create their writers themselves, so the meters are read from the
 * MBeans the writers and readers register ({@code io.bucketlog:type=Writer|Reader,name=...});
 * a writer started after binding (a logging reconfiguration) gets its meters when its MBean
 * appears, and they are removed when it closes.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>meter</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@code bucketlog.writer.appended}, {@code .written}, {@code .truncated}, {@code .sanitised}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code bucketlog.writer.dropped}</td><td>counter</td><td>{@code reason}: ring_full, closed</td></tr>
 *   <tr><td>{@code bucketlog.writer.rejected}</td><td>counter</td><td>{@code reason}: too_large, invalid, clock_skew, unknown_stream</td></tr>
 *   <tr><td>{@code bucketlog.writer.failed}</td><td>counter</td><td>{@code reason}: write, error</td></tr>
 *   <tr><td>{@code bucketlog.writer.bytes}</td><td>counter (bytes)</td><td></td></tr>
 *   <tr><td>{@code bucketlog.writer.buckets.opened}, {@code .sealed}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code bucketlog.writer.ring.capacity}, {@code .remaining}</td><td>gauge (slots)</td><td></td></tr>
 *   <tr><td>{@code bucketlog.writer.lag}</td><td>time gauge</td><td></td></tr>
 *   <tr><td>{@code bucketlog.reader.cache.hits}, {@code .misses}</td><td>counter</td><td>{@code cache}: footer, index</td></tr>
 *   <tr><td>{@code bucketlog.reader.bytes.read}</td><td>counter (bytes)</td><td></td></tr>
 * </table>
 *
 * <p>Close it to stop following new MBeans (Spring calls {@link #close()} with the context).
 */
public final class BucketlogMetrics implements MeterBinder, AutoCloseable {
    private static final String DOMAIN = "io.bucketlog";

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final Map<Bound, List<Meter>> bound = new ConcurrentHashMap<>();
    private final List<Follower> followers = new ArrayList<>();

    @Override
    public void bindTo(MeterRegistry registry) {
        Follower follower = new Follower(registry);
        try {
            server.addNotificationListener(MBeanServerDelegate.DELEGATE_NAME, follower, null, null);
            synchronized (followers) {
                followers.add(follower);
            }
            for (ObjectName on : server.queryNames(new ObjectName(DOMAIN + ":*"), null)) {
                bind(registry, on);
            }
        } catch (JMException e) {
            throw new IllegalStateException("cannot read Bucketlog's MBeans", e);
        }
    }

    /** Binds the MBeans registered later and removes the meters of those unregistered. */
    private final class Follower implements NotificationListener {
        private final MeterRegistry registry;

        Follower(MeterRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void handleNotification(Notification n, Object handback) {
            if (!(n instanceof MBeanServerNotification m) || !DOMAIN.equals(m.getMBeanName().getDomain())) {
                return;
            }
            if (MBeanServerNotification.REGISTRATION_NOTIFICATION.equals(m.getType())) {
                bind(registry, m.getMBeanName());
            } else if (MBeanServerNotification.UNREGISTRATION_NOTIFICATION.equals(m.getType())) {
                List<Meter> meters = bound.remove(new Bound(registry, m.getMBeanName()));
                if (meters != null) {
                    meters.forEach(registry::remove);
                }
            }
        }
    }

    /** One registry's meters of one MBean: a binder may serve several registries. */
    private record Bound(MeterRegistry registry, ObjectName mbean) {
    }

    private void bind(MeterRegistry registry, ObjectName on) {
        String name = on.getKeyProperty("name");
        if (name == null) {
            return;
        }
        if (name.startsWith("\"")) {
            name = ObjectName.unquote(name);
        }
        Tags tags = Tags.of("name", name);
        List<Meter> meters = new ArrayList<>();
        switch (String.valueOf(on.getKeyProperty("type"))) {
            case "Writer" -> bindWriter(registry, on, tags, meters);
            case "Reader" -> bindReader(registry, on, tags, meters);
            default -> {
                return;
            }
        }
        bound.put(new Bound(registry, on), meters);
    }

    private void bindWriter(MeterRegistry r, ObjectName on, Tags tags, List<Meter> m) {
        m.add(counter(r, on, "bucketlog.writer.appended", "Appended", tags, "calls of append"));
        m.add(counter(r, on, "bucketlog.writer.written", "Written", tags, "events handed to the OS"));
        m.add(counter(r, on, "bucketlog.writer.truncated", "Truncated", tags, "events stored cut"));
        m.add(counter(r, on, "bucketlog.writer.sanitised", "Sanitised", tags,
                "events stored made safe: names, values or text escaped or cut"));
        String dropped = "events dropped before the writer thread took them";
        m.add(counter(r, on, "bucketlog.writer.dropped", "DroppedRingFull", tags.and("reason", "ring_full"), dropped));
        m.add(counter(r, on, "bucketlog.writer.dropped", "DroppedClosed", tags.and("reason", "closed"), dropped));
        String rejected = "events the writer thread refused";
        m.add(counter(r, on, "bucketlog.writer.rejected", "RejectedTooLarge", tags.and("reason", "too_large"), rejected));
        m.add(counter(r, on, "bucketlog.writer.rejected", "RejectedInvalid", tags.and("reason", "invalid"), rejected));
        m.add(counter(r, on, "bucketlog.writer.rejected", "RejectedClockSkew", tags.and("reason", "clock_skew"), rejected));
        m.add(counter(r, on, "bucketlog.writer.rejected", "RejectedUnknownStream",
                tags.and("reason", "unknown_stream"), rejected));
        String failed = "events accepted and lost while writing";
        m.add(counter(r, on, "bucketlog.writer.failed", "FailedWrite", tags.and("reason", "write"), failed));
        m.add(counter(r, on, "bucketlog.writer.failed", "FailedError", tags.and("reason", "error"), failed));
        m.add(FunctionCounter.builder("bucketlog.writer.bytes", on, o -> read(o, "BytesWritten"))
                .tags(tags).baseUnit("bytes").description("bytes handed to the OS, data and index").register(r));
        m.add(counter(r, on, "bucketlog.writer.buckets.opened", "BucketsOpened", tags, "data buckets created"));
        m.add(counter(r, on, "bucketlog.writer.buckets.sealed", "BucketsSealed", tags, "data buckets sealed"));
        m.add(Gauge.builder("bucketlog.writer.ring.capacity", on, o -> read(o, "RingCapacity"))
                .tags(tags).baseUnit("slots").description("slots in the ring").register(r));
        m.add(Gauge.builder("bucketlog.writer.ring.remaining", on, o -> read(o, "RingRemaining"))
                .tags(tags).baseUnit("slots").description("free slots in the ring").register(r));
        m.add(TimeGauge.builder("bucketlog.writer.lag", on, TimeUnit.NANOSECONDS, o -> read(o, "WriteLagNanos"))
                .tags(tags).description("age of the oldest event not yet handed to the OS").register(r));
    }

    private void bindReader(MeterRegistry r, ObjectName on, Tags tags, List<Meter> m) {
        m.add(counter(r, on, "bucketlog.reader.cache.hits", "FooterCacheHits", tags.and("cache", "footer"),
                "reads served from the cache"));
        m.add(counter(r, on, "bucketlog.reader.cache.hits", "IndexCacheHits", tags.and("cache", "index"),
                "reads served from the cache"));
        m.add(counter(r, on, "bucketlog.reader.cache.misses", "FooterCacheMisses", tags.and("cache", "footer"),
                "reads of the file"));
        m.add(counter(r, on, "bucketlog.reader.cache.misses", "IndexCacheMisses", tags.and("cache", "index"),
                "reads of the file"));
        m.add(FunctionCounter.builder("bucketlog.reader.bytes.read", on, o -> read(o, "BytesRead"))
                .tags(tags).baseUnit("bytes").description("bytes read from data and index buckets").register(r));
    }

    private FunctionCounter counter(MeterRegistry r, ObjectName on, String meter, String attribute,
                                    Tags tags, String description) {
        return FunctionCounter.builder(meter, on, o -> read(o, attribute)).tags(tags)
                .baseUnit(baseUnit(meter)).description(description).register(r);
    }

    private static String baseUnit(String meter) {
        return meter.startsWith("bucketlog.writer.buckets") ? "buckets"
                : meter.startsWith("bucketlog.reader.cache") ? "reads" : "events";
    }

    /** An attribute, or NaN once the MBean is gone (a meter read while its writer closes). */
    private double read(ObjectName on, String attribute) {
        try {
            return ((Number) server.getAttribute(on, attribute)).doubleValue();
        } catch (JMException e) {
            return Double.NaN;
        }
    }

    /** Stops following MBeans; the meters already registered stay until their MBean goes. */
    @Override
    public void close() {
        synchronized (followers) {
            for (Follower f : followers) {
                try {
                    server.removeNotificationListener(MBeanServerDelegate.DELEGATE_NAME, f);
                } catch (JMException alreadyRemoved) {
                    // nothing left to stop
                }
            }
            followers.clear();
        }
    }
}
