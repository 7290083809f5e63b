package io.bucketlog.logback;

import static io.bucketlog.logback.LogbackConfigs.configure;
import static io.bucketlog.logback.LogbackConfigs.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.Store;
import java.net.URL;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * An application that brings its own lz4-java (org.lz4, as Kafka clients do) next to the
 * appender: one copy of each {@code net.jpountz} class, the application's, and none of it, relocated
 * or not, in storage-core, whose LZ4 is its own code.
 */
class ApplicationLz4JavaTest {
    @TempDir
    Path dir;

    @AfterEach
    void stopAppenders() {
        LogbackConfigs.context().reset();
    }

    @Test
    void anApplicationsOwnLz4JavaIsTheOnlyLz4JavaOnTheClassPath() throws Exception {
        List<URL> copies = Collections.list(getClass().getClassLoader()
                .getResources("net/jpountz/lz4/LZ4Factory.class"));
        assertThat(copies).singleElement().asString().contains("org/lz4/lz4-java/");

        Path coreJar = Path.of(Store.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarFile jar = new JarFile(coreJar.toFile())) {
            assertThat(jar.stream().map(e -> e.getName()))
                    .anyMatch(n -> n.equals("io/bucketlog/internal/format/Lz4Compressor.class"))
                    .noneMatch(n -> n.startsWith("net/jpountz/"))
                    .noneMatch(n -> n.endsWith(".so") || n.endsWith(".dylib"))
                    .noneMatch(n -> n.startsWith("io/bucketlog/internal/lz4/"));
        }

        configure("options.xml", Map.of("directory", dir.toString(), "compression", "lz4"));
        for (int i = 0; i < 200; i++) {
            LoggerFactory.getLogger("kafka.app").info("compressible line {} {}", i, "x".repeat(100));
        }
        LogbackConfigs.context().reset();
        List<Event> stored = readAll(dir, "logs");
        assertThat(stored).hasSize(200);
        assertThat(stored.get(199).bodyText()).isEqualTo("compressible line 199 " + "x".repeat(100));
    }
}
