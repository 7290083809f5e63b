package io.bucketlog.spi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM of {@link StorageContractTest}: opens the storage the test names, says
 * {@code READY}, waits for {@code GO} on its input, says {@code RACING}, races for {@link #RACE_NAMES} names with
 * {@code putIfAbsent}, prints {@code WIN name} for each it won, then {@code DONE}.
 *
 * <p>Arguments: provider class, location, racer id.
 */
public final class StorageContractChild {
    static final int RACE_NAMES = 96;

    private StorageContractChild() {
    }

    /**
     * The {@code i}-th name racer {@code id} tries: every racer starts at its own place and wraps
     * around, so that one that gets going first does not simply take every name before the
     * others start, and the race is shared.
     */
    static String raceName(String id, int i) {
        int start = id.startsWith("child-") ? (Integer.parseInt(id.substring(6)) + 1) * RACE_NAMES / 4 : 0;
        return raceName((start + i) % RACE_NAMES);
    }

    static String raceName(int n) {
        return "race/processes-" + n;
    }

    public static void main(String[] args) throws Exception {
        String providerClass = args[0];
        String location = args[1];
        String id = args[2];
        StorageProvider provider = ServiceLoader.load(StorageProvider.class).stream()
                .filter(p -> p.type().getName().equals(providerClass))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(providerClass + " is not registered as a "
                        + StorageProvider.class.getName()))
                .get();
        try (Storage storage = provider.open(location, false);
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            // Warm up: a cold JVM's first create loads and compiles the backend's code, which takes
            // longer than a warm process needs to take every name of the race.
            String warmUp = "race/warm-up-" + id;
            storage.putIfAbsent(warmUp, new byte[] {1});
            storage.delete(warmUp);
            System.out.println("READY");
            System.out.flush();
            if (!"GO".equals(in.readLine())) {
                throw new IllegalStateException("no GO from the test");
            }
            System.out.println("RACING");
            System.out.flush();
            for (int n = 0; n < RACE_NAMES; n++) {
                String name = raceName(id, n);
                if (storage.putIfAbsent(name, StorageContractTest.contentOf(id, name))) {
                    System.out.println("WIN " + name);
                }
            }
            System.out.println("DONE");
            System.out.flush();
        }
    }

    static Running start(StorageContractTest.ChildStorage how, String id, Path errFile)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
        command.addAll(how.jvmOptions());
        command.addAll(List.of(StorageContractChild.class.getName(), how.provider().getName(),
                how.location(), id));
        Process p = new ProcessBuilder(command).redirectError(errFile.toFile()).start();
        return new Running(id, p, errFile);
    }

    /** A started child and what it printed. */
    static final class Running {
        private final String id;
        private final Process process;
        private final Path errFile;
        private final CountDownLatch ready = new CountDownLatch(1);
        private final CountDownLatch racing = new CountDownLatch(1);
        private final CountDownLatch done = new CountDownLatch(1);
        private final List<String> wins = new ArrayList<>();
        private final Thread reader;

        private Running(String id, Process process, Path errFile) {
            this.id = id;
            this.process = process;
            this.errFile = errFile;
            this.reader = new Thread(this::readOutput, "contract-child-" + id);
            reader.setDaemon(true);
            reader.start();
        }

        String id() {
            return id;
        }

        private void readOutput() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.equals("READY")) {
                        ready.countDown();
                    } else if (line.equals("RACING")) {
                        racing.countDown();
                    } else if (line.startsWith("WIN ")) {
                        synchronized (wins) {
                            wins.add(line.substring(4));
                        }
                    } else if (line.equals("DONE")) {
                        done.countDown();
                    }
                }
            } catch (IOException e) {
                // the child is gone; awaitReady and awaitWins report it with its stderr
            }
        }

        void awaitReady(long millis) throws InterruptedException {
            if (!ready.await(millis, TimeUnit.MILLISECONDS)) {
                throw new AssertionError(id + " did not open the storage: " + stderr());
            }
        }

        void go() throws IOException {
            Writer w = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            w.write("GO\n");
            w.flush();
        }

        /**
         * Waits until the child has begun its race: on a loaded machine a child may take longer to
         * start racing than this process takes to try every name, and the race would not be one.
         */
        void awaitRacing(long millis) throws InterruptedException {
            if (!racing.await(millis, TimeUnit.MILLISECONDS)) {
                throw new AssertionError(id + " did not start its race: " + stderr());
            }
        }

        List<String> awaitWins(long millis) throws InterruptedException {
            if (!done.await(millis, TimeUnit.MILLISECONDS) || !process.waitFor(millis, TimeUnit.MILLISECONDS)
                    || process.exitValue() != 0) {
                throw new AssertionError(id + " did not finish its race: " + stderr());
            }
            reader.join(millis);
            synchronized (wins) {
                return List.copyOf(wins);
            }
        }

        void destroy() {
            process.destroyForcibly();
        }

        private String stderr() {
            try {
                String s = Files.readString(errFile);
                return s.length() > 4000 ? s.substring(0, 4000) : s;
            } catch (IOException e) {
                return "(cannot read its stderr: " + e + ")";
            }
        }
    }
}
