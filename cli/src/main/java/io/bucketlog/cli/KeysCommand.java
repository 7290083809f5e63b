package io.bucketlog.cli;

import io.bucketlog.Event;
import java.util.function.Consumer;
import picocli.CommandLine.Command;

/** {@code bucketlog keys}: the keys of a stream with their event counts (like logcli labels). */
@Command(name = "keys", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List the keys of a stream's events with how many events each has, most first"
            + " (\"\" is the empty key). The filters select which events are counted."})
final class KeysCommand extends NameCountCommand {
    @Override
    void names(Event e, Consumer<String> count) {
        count.accept(e.key());
    }
}
