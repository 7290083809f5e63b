package io.bucketlog.it.spring;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

/** {@link ShutdownApp} in a child JVM with the class path of an application of one framework. */
final class SpringChild {
    private SpringChild() {
    }

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

    /**
     * Starts the application on a loopback ephemeral port, storing into {@code dir} and keeping
     * Tomcat's work files in {@code scratch} (by default they go to the system's temporary
     * directory, where a killed child leaves them); collects its output lines and counts
     * {@code ready} down when it printed {@code READY}.
     */
    static Process start(Framework framework, Path dir, Path scratch, List<String> output,
                         CountDownLatch ready, String... extraArgs) throws IOException {
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!framework.absent.test(entry)) {
                classPath.add(entry);
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dbucketlog.dir=" + dir, "-cp", String.join(File.pathSeparator, classPath),
                ShutdownApp.class.getName(), "--server.port=0", "--server.address=127.0.0.1",
                "--server.shutdown=graceful", "--spring.main.banner-mode=off",
                "--server.tomcat.basedir=" + scratch));
        command.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
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
