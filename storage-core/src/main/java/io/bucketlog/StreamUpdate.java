package io.bucketlog;

import java.time.Duration;
import java.util.List;

/**
 * What {@link Store#updateStream(String, StreamConfig)} did: the configuration new buckets of the
 * stream are now created with, and each requested setting that an existing stream could not take.
 *
 * @param config the configuration in effect
 * @param kept the requested settings that were not applied, in the order of {@link StreamConfig}'s
 *     components; empty when everything asked for is in effect
 */
public record StreamUpdate(StreamConfig config, List<Kept> kept) {
    public StreamUpdate {
        kept = List.copyOf(kept);
    }

    /**
     * A setting that kept its stored value.
     *
     * @param setting the {@link StreamConfig} component, {@code indexWindow} or {@code bucketWidth}
     * @param stored the value the stream keeps
     * @param requested the value asked for
     * @param reason why it cannot change, as a sentence fragment ("readers find ...")
     */
    public record Kept(String setting, Duration stored, Duration requested, String reason) {
    }
}
