package io.bucketlog.brigade;

import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.Frame;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.IndexHeader;
import io.bucketlog.spi.NoSuchObjectException;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;

/**
 * The brigade's commits: the one step that switches readers from a unit's inputs to its merged
 * bucket.
 *
 * <p>A commit is an object {@code commit-<hex>.idx} in the unit's window directory on the first
 * volume, {@code <hex>} the unit's {@linkplain WorkUnit#hex() name}, created with put-if-absent.
 * Its content is an index bucket's: an {@link IndexHeader} (the brigade's id as writer) and one
 * frame holding one {@link IndexEntry.Superseded} entry that names the inputs and the merged
 * bucket. The merged bucket is written completely, sealed, and its "sealed" entry is in the
 * brigade's index bucket before the commit is made, so a reader that sees the commit finds the
 * replacement complete. Two brigades merging the same inputs race for the same name; exactly one
 * commit exists, and the loser deletes its own merged bucket.
 *
 * <p>Beside it, {@code commit-<hex>.at} holds the wall-clock time (epoch milliseconds, text) from
 * which the inputs' grace period runs. The committing brigade creates it right after the commit;
 * a brigade that finds a commit without one (its maker died in between) creates it with its own
 * time, which only makes the grace period longer. Only the brigade reads it.
 */
final class Commits {
    private final Storage storage;
    private final Clock clock;

    Commits(Storage storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    static String commitName(String prefix, String hex) {
        return prefix + EngineView.COMMIT_PREFIX + hex + EngineView.COMMIT_SUFFIX;
    }

    static String timeName(String prefix, String hex) {
        return prefix + EngineView.COMMIT_PREFIX + hex + ".at";
    }

    /**
     * Commits a merge.
     *
     * @return whether this call made the commit (false: another brigade's commit of the same
     *     inputs won)
     */
    boolean commit(String prefix, String hex, IndexHeader header, List<IndexEntry.BucketRef> inputs,
                   IndexEntry.BucketRef merged) throws IOException {
        ByteSink out = new ByteSink(256);
        header.writeTo(out);
        int at = Frame.open(out);
        new IndexEntry.Superseded(inputs, merged).writeTo(out);
        Frame.close(out, at, Frame.ENTRY_MAGIC);
        if (!storage.putIfAbsent(commitName(prefix, hex), out.toByteArray())) {
            return false;
        }
        markTime(prefix, hex);
        return true;
    }

    /** Records now as the commit's time unless a time is recorded already. */
    void markTime(String prefix, String hex) throws IOException {
        storage.putIfAbsent(timeName(prefix, hex),
                Long.toString(clock.millis()).getBytes(StandardCharsets.UTF_8));
    }

    /** The recorded commit time, or empty if none is recorded or it is unreadable. */
    OptionalLong time(String prefix, String hex) throws IOException {
        try (var in = storage.openRead(timeName(prefix, hex))) {
            byte[] b = new byte[(int) Math.min(in.size(), 32)];
            int n = in.read(0, b, 0, b.length);
            return OptionalLong.of(Long.parseLong(new String(b, 0, n, StandardCharsets.UTF_8).trim()));
        } catch (NoSuchObjectException gone) {
            return OptionalLong.empty();
        } catch (NumberFormatException unreadable) {
            return OptionalLong.empty();
        }
    }
}
