package io.bucketlog.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bucketlog fields}: the attribute names of a stream with how many events carry each. */
@Command(name = "fields", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List the attribute names (level, logger, ctx.userId...) of a stream's events"
            + " with how many events carry each, most first (like journalctl -N). The filters select"
            + " which events are counted."})
final class FieldsCommand implements Callable<Integer> {
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
                spec.commandLine().getErr(), (e, count) -> e.attributes().keySet().forEach(count));
    }
}
