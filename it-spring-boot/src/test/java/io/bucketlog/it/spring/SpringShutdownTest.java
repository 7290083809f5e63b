package io.bucketlog.it.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.EventScan;
import io.bucketlog.ScanRequest;
import io.bucketlog.Store;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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

    /** The logging framework of the child, and the class-path entries an application with it lacks. */
    enum Framework {
        LOGBACK(p -> p.contains("log4j-slf4j2-impl") || p.contains("log4j-core")
                || p.contains("log4j-jul") || p.contains("appender-log4j2")),
        LOG4J2(p -> p.contains("logback-classic") || p.contains("logback-core")
                || p.contains("log4j-to-slf4j") || p.contains("appender-logback"));

        final Predicate<String> absent;

        Framework(Predicate<String> absent) {
            this.absent = absent;
        }
    }

    @ParameterizedTest
    @EnumSource(Framework.class)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everythingLoggedWhileSpringBootShutsDownIsStored(Framework framework) throws Exception {
        List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        Process app = start(framework, output, ready);
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

    private Process start(Framework framework, List<String> output, CountDownLatch ready) throws IOException {
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!framework.absent.test(entry)) {
                classPath.add(entry);
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dbucketlog.dir=" + dir, "-cp", String.join(File.pathSeparator, classPath),
                ShutdownApp.class.getName(), "--server.port=0", "--server.address=127.0.0.1",
                "--server.shutdown=graceful", "--spring.main.banner-mode=off")
                .redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    if (line.equals("READY")) {
                        ready.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the child is gone; what it printed is in output
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        return p;
    }
}
