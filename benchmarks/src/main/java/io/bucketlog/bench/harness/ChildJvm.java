package io.bucketlog.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Starts one harness child JVM with one of the per-framework classpaths that the build writes to
 * {@code target/classpath/*.cp}, waits for it, and reads the {@code key=value} results it wrote.
 * The child's output goes to a log file next to its results, named in any error.
 */
final class ChildJvm {
    /** Which classpath file a child gets. */
    enum Classpath { LOG4J2, LOGBACK, STORE }

    private static final long TIMEOUT_MINUTES = 20;

    private final Path classesDir;
    private final Path classpathDir;
    private final Path jarCopies;
    private final String javaBin;

    private ChildJvm(Path classesDir, Path classpathDir, Path jarCopies) {
        this.classesDir = classesDir;
        this.classpathDir = classpathDir;
        this.jarCopies = jarCopies;
        this.javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Finds the classpath files next to the directory (or jar) this class was loaded from, and
     * copies every jar they name into {@code jarCopies}: the project's snapshot jars in the local
     * Maven repository may be reinstalled while a run lasts, and one run must measure one build.
     */
    static ChildJvm locate(Path jarCopies) {
        try {
            Path classes = Path.of(ChildJvm.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
            Path cpDir = buildDirectory().resolve("classpath");
            if (!Files.isRegularFile(cpDir.resolve("store.cp"))) {
                throw new IllegalStateException("no classpath files in " + cpDir
                        + ": build the module first (mvn -pl benchmarks -am package -DskipTests)");
            }
            ChildJvm jvm = new ChildJvm(classes, cpDir, jarCopies);
            for (Classpath cp : Classpath.values()) {
                jvm.copyJars(cp);
            }
            return jvm;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the harness classes", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the jars to " + jarCopies, e);
        }
    }

    /** The module's build directory ({@code target}), where the classes were loaded from. */
    static Path buildDirectory() {
        try {
            return Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the harness classes", e);
        }
    }

    private List<String> jars(Classpath which) {
        Path file = classpathDir.resolve(which.name().toLowerCase(java.util.Locale.ROOT) + ".cp");
        try {
            String deps = Files.readString(file, StandardCharsets.UTF_8).trim();
            return deps.isEmpty() ? List.of() : List.of(deps.split(java.io.File.pathSeparator));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath file " + file, e);
        }
    }

    private void copyJars(Classpath which) throws IOException {
        Files.createDirectories(jarCopies);
        for (String jar : jars(which)) {
            Path from = Path.of(jar);
            Path to = jarCopies.resolve(from.getFileName());
            if (!Files.exists(to)) {
                Files.copy(from, to);
            }
        }
    }

    /** The classes of this module, then copies of the jars of the classpath file. */
    String classpath(Classpath which) {
        StringBuilder cp = new StringBuilder(classesDir.toString());
        for (String jar : jars(which)) {
            cp.append(java.io.File.pathSeparator)
                    .append(jarCopies.resolve(Path.of(jar).getFileName()));
        }
        return cp.toString();
    }

    /**
     * Runs {@code mainClass} in a child JVM and returns the results it wrote to the file passed
     * as its first argument.
     */
    Properties run(Classpath cp, List<String> jvmArgs, Class<?> mainClass, Path resultFile,
                   List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin);
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classpath(cp));
        cmd.add(mainClass.getName());
        cmd.add(resultFile.toString());
        cmd.addAll(args);
        Path log = resultFile.resolveSibling(resultFile.getFileName() + ".log");
        try {
            Files.createDirectories(resultFile.getParent());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(mainClass.getSimpleName() + " timed out after "
                        + TIMEOUT_MINUTES + " min; see " + log);
            }
            if (p.exitValue() != 0 || !Files.exists(resultFile)) {
                throw new IllegalStateException(mainClass.getSimpleName() + " " + args
                        + " failed with exit code " + p.exitValue() + "; its output (" + log
                        + "):\n" + tail(log));
            }
            Properties out = new Properties();
            try (Reader r = Files.newBufferedReader(resultFile, StandardCharsets.UTF_8)) {
                out.load(r);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a child JVM", e);
        }
    }

    private static String tail(Path log) throws IOException {
        try (InputStream in = Files.newInputStream(log)) {
            byte[] all = in.readAllBytes();
            int from = Math.max(0, all.length - 4000);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        }
    }
}
