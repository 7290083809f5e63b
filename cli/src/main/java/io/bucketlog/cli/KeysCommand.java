package io.bucketlog.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bucketlog keys}: the keys of a stream with their event counts (like logcli labels). */
@Command(name = "keys", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List the keys of a stream's events with how many events each has, most first"
            + " (\"\" is the empty key). The filters select which events are counted."})
final class KeysCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Mixin
    StreamFilter filter;

    @Mixin
    TimeRange range;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return NameCounts.run(store, filter, range, spec.commandLine().getOut(),
                spec.commandLine().getErr(), (e, count) -> count.accept(e.key()));
    }
}
