package io.bucketlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine's internals ({@code io.bucketlog.internal}) and its backends are storage-core's:
 * the command line, the viewer, the appenders, the metrics and the samples use only the public
 * API ({@code io.bucketlog}, {@code config}, {@code inspect}, {@code spi}) and the reader SDK, so
 * that the engine can change inside without them. The reader SDK is the read engine's public
 * face and may use them; the benchmarks measure internals and may too. The object-store backend
 * ({@code io.bucketlog.backend.s3}, module backend-s3) is a published module with an API of its
 * own, which the command line's {@code recover} uses.
 */
class ModuleBoundaryTest {
    private static final List<String> API_ONLY = List.of("cli", "viewer", "appender-log4j2",
            "appender-logback", "metrics-micrometer", "samples");
    private static final Pattern INTERNAL = Pattern.compile(
            "\\bio\\.bucketlog\\.(internal|backend\\.file)\\.");

    @Test
    void modulesOutsideTheEngineUseNoneOfItsInternals() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        List<String> offences = new ArrayList<>();
        int files = 0;
        for (String module : API_ONLY) {
            Path sources = root.resolve(module).resolve("src/main/java");
            assertThat(sources).as("main sources of %s", module).isDirectory();
            try (Stream<Path> s = Files.walk(sources)) {
                for (Path p : s.filter(f -> f.toString().endsWith(".java")).toList()) {
                    files++;
                    List<String> lines = Files.readAllLines(p);
                    for (int i = 0; i < lines.size(); i++) {
                        if (INTERNAL.matcher(lines.get(i)).find()) {
                            offences.add(root.relativize(p) + ":" + (i + 1) + ": " + lines.get(i).trim());
                        }
                    }
                }
            }
        }
        assertThat(files).as("source files scanned").isGreaterThan(API_ONLY.size());
        assertThat(offences).as("uses of the engine's internals outside it").isEmpty();
    }
}
