package io.bucketlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test's child JVM run to its end: this JVM's {@code java}, the given flags and class path, its
 * output and errors together in one file. A child that outlives its time fails the test and is
 * killed, so that no test leaves a process behind.
 */
public final class JavaChild {
    private JavaChild() {
    }

    /** How a child ended: its exit code and everything it printed. */
    public record Finished(int exitCode, String output) {
    }

    /**
     * Runs {@code main} with {@code args} and waits for it.
     *
     * @param out where its output goes (read back whole)
     */
    public static Finished run(List<String> jvmArgs, String classPath, Class<?> main,
                               List<String> args, Path out, Duration timeout)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", classPath, main.getName()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        try {
            assertThat(p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the child finishes").isTrue();
        } finally {
            p.destroyForcibly();
        }
        return new Finished(p.exitValue(), Files.readString(out));
    }
}
