package io.bucketlog.cli;

import io.bucketlog.Event;
import java.util.function.Consumer;
import picocli.CommandLine.Command;

/** {@code bucketlog fields}: the attribute names of a stream with how many events carry each. */
@Command(name = "fields", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List the attribute names (level, logger, ctx.userId...) of a stream's events"
            + " with how many events carry each, most first (like journalctl -N). The filters select"
            + " which events are counted."})
final class FieldsCommand extends NameCountCommand {
    @Override
    void names(Event e, Consumer<String> count) {
        e.attributes().keySet().forEach(count);
    }
}
