package io.bucketlog.it.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.EventScan;
import io.bucketlog.ScanRequest;
import io.bucketlog.Store;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spring Boot application in a child JVM, stopped by SIGTERM as a container runtime or a
 * service manager stops it: every event it logs while shutting down ({@code @PreDestroy}, a
 * lifecycle bean's stop, Tomcat's graceful shutdown messages) is stored, and no loss is reported.
 * Run once with Logback ({@code logback-spring.xml}) and once with Log4j2
 * ({@code log4j2-spring.xml}), each with the class path an application using that framework has.
 */
class SpringShutdownTest {
    @TempDir
    Path dir;
    @TempDir
    Path scratch;

    @ParameterizedTest
    @EnumSource(SpringChild.Framework.class)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everythingLoggedWhileSpringBootShutsDownIsStored(SpringChild.Framework framework) throws Exception {
        List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        Process app = SpringChild.start(framework, dir, scratch, output, ready);
        try {
            assertThat(ready.await(120, TimeUnit.SECONDS)).as("the application started: %s", output).isTrue();
            app.destroy(); // SIGTERM
            assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("the application stopped").isTrue();
        } finally {
            app.destroyForcibly();
        }

        Set<String> stored = storedMessages();
        for (int i = 0; i < ShutdownApp.STARTUP_EVENTS; i++) {
            assertThat(stored).contains("work " + i);
        }
        for (int i = 0; i < ShutdownApp.PRE_DESTROY_EVENTS; i++) {
            assertThat(stored).contains("predestroy " + i);
        }
        assertThat(stored).contains("predestroy done", "lifecycle stop");
        assertThat(stored).anyMatch(m -> m.startsWith("Commencing graceful shutdown"));
        assertThat(stored).anyMatch(m -> m.startsWith("Graceful shutdown complete"));
        assertThat(output).noneMatch(l -> l.contains(" lost ") || l.contains("dropped"))
                .noneMatch(l -> l.contains("placeholders"));
    }

    private Set<String> storedMessages() {
        Set<String> out = new HashSet<>();
        try (Store store = Store.open(dir); EventScan scan = store.scan(ScanRequest.all("app"))) {
            scan.forEachRemaining(e -> out.add(e.bodyText()));
            assertThat(scan.corruptions()).isEmpty();
        }
        return out;
    }
}
