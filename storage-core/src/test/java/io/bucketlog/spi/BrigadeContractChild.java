package io.bucketlog.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Durability;
import io.bucketlog.Store;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A writer process of {@link BrigadeContractTest} that dies with its bucket open: opens the store
 * at its location argument, appends {@code count} events {@code TAG-i} spread over the minute
 * starting at {@code minute} (nanoseconds), flushes with durability {@code sync} (so they are
 * visible to other hosts), prints {@code READY} and waits to be killed.
 *
 * <p>Arguments: location, minute, count, tag.
 */
public final class BrigadeContractChild {
    private static final long MINUTE = 60_000_000_000L;

    private BrigadeContractChild() {
    }

    public static void main(String[] args) throws Exception {
        long minute = Long.parseLong(args[1]);
        int count = Integer.parseInt(args[2]);
        // it must not seal its bucket before it is killed: no seal for an idle bucket for an hour
        WriterOptions options = WriterOptions.builder().closeOnJvmShutdown(false)
                .durability(Durability.SYNC).sealGrace(Duration.ofHours(1)).build();
        Store store = Store.open(args[0]);
        Writer w = store.writer(options);
        for (String body : bodies(args[3], count)) {
            int i = Integer.parseInt(body.substring(body.lastIndexOf('-') + 1));
            if (!w.append(BrigadeContractTest.STREAM, "k" + i % 7, minute + i * (MINUTE / count), Map.of(),
                    body.getBytes(StandardCharsets.UTF_8))) {
                throw new IllegalStateException("append refused");
            }
        }
        if (!w.flush(Duration.ofSeconds(30)) || w.stats().lost() != 0) {
            throw new IllegalStateException("not flushed: " + w.stats());
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static List<String> bodies(String tag, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(tag + "-" + i);
        }
        return out;
    }

    /**
     * Runs the child on {@code store}, kills it with SIGKILL once its events are flushed, and
     * returns their bodies.
     */
    static List<String> writeAndDie(BrigadeContractTest.ChildStore store, long minute, int count, String tag)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx96m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
        command.addAll(store.jvmOptions());
        command.addAll(List.of(BrigadeContractChild.class.getName(), store.location(), Long.toString(minute),
                Integer.toString(count), tag));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            StringBuilder said = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null && !line.equals("READY")) {
                said.append(line).append('\n');
            }
            assertThat(line).as("the child flushed its events; it said:\n" + said).isEqualTo("READY");
        } finally {
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        return bodies(tag, count);
    }
}
