package io.bucketlog.cli;

import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bucketlog streams STORE}: the streams and their configuration. */
@Command(name = "streams", mixinStandardHelpOptions = true, description = "List the streams of a store with their configuration.")
final class StreamsCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        try (Store s = store.openExisting()) {
            if (s.streams().isEmpty()) {
                out.println("(no streams)");
            }
            for (String name : s.streams()) {
                StreamConfig c = s.streamConfig(name).orElseThrow();
                out.printf("%-24s bucket %s, width %s, index window %s, %s, block %s%s%n", name,
                        Sizes.bytes(c.bucketBytes()), Sizes.duration(c.bucketWidth()),
                        Sizes.duration(c.indexWindow()), c.compression().name().toLowerCase(),
                        Sizes.bytes(c.blockBytes()),
                        c.retention().map(r -> ", retention " + Sizes.duration(r)).orElse(""));
            }
        }
        return 0;
    }
}
