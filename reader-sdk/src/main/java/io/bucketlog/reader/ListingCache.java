package io.bucketlog.reader;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.bucketlog.internal.read.ReadCache;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Listings of a reader's directories (a stream's window directories, its windows, its roll-up
 * area), kept while the directory's {@link Storage#listingStamp stamp} vouches for them: a query
 * then pays one stamp (on files, an {@code lstat} per directory level) instead of a listing.
 *
 * <h2>When a kept listing is served, and why it is never stale</h2>
 * A stamp may stay the same across changes made within one tick of the backend's clock (at most
 * {@link Storage#STAMP_TICK}): a directory's modification time is only as fine as the kernel's
 * clock tick. So a listing is served only once <em>settled</em>:
 * <ol>
 *   <li>Each call takes the stamp first, then (unless it serves) lists. A listing is therefore
 *       never older than the stamp it is kept with: a change between the two is either in the
 *       listing or changes the next stamp, which makes the next call list again.</li>
 *   <li>When a stamp {@code S} is first seen (monotonic time {@code t0}), the listing is kept but
 *       not served: until {@value #SETTLE_MILLIS} ms later, every call lists again.</li>
 *   <li>A call at {@code t1 > t0 + SETTLE} that still sees {@code S} lists once more and marks
 *       the listing settled; later calls that see {@code S} are served it.</li>
 * </ol>
 * Proof that a served listing is current: {@code S} is a time of the last change before
 * {@code t0} (it was set before the stamp was read), so {@code S <= clock(t0)}. Any create,
 * delete or rename after the stamp of step 3 happens at {@code clock >= clock(t0) + SETTLE}, and
 * its modification time, rounded down to a tick, is at least {@code clock(t0) + SETTLE - tick >
 * S}, because the tick is shorter than the settle time. So the stamp has changed, and the call
 * lists again; every change before that stamp is in the listing of step 3. A directory replaced
 * by another (or by a link, which has no stamp: the call lists, and the listing reports it) has
 * another inode, so another stamp. Not covered: a clock stepped back by more than the settle
 * time, or a directory's time set ahead by hand, so that a later change falls in the very tick
 * of {@code S}.
 *
 * <p>So a new bucket, a writer's new index bucket and a brigade's commit (which creates
 * {@code commit-<hex>.idx}) are seen by the next query that begins after their create returned,
 * exactly as without the cache: read-your-writes and the catalog's switch at the commit hold.
 * What a listing does not show (an index bucket's new entries, a bucket's appended blocks) is
 * still read from the objects by the index and footer caches.
 *
 * <p>Bounded by the number of directories, least recently used out; each directory's calls are
 * serialised on its state, so concurrent queries list it at most once at a time.
 */
final class ListingCache implements ReadCache.Listings {
    /** How long a stamp must stay the same before its listing is served; above the tick. */
    static final long SETTLE_MILLIS = Math.max(2000, 2 * Storage.STAMP_TICK.toMillis());

    private static final class State {
        String stamp;
        /** When {@link #stamp} was first seen (monotonic clock). */
        long stampSeenNanos;
        /** Whether {@link #names} was listed after {@link #stamp} had settled. */
        boolean settled;
        List<String> names = List.of();
    }

    private final Cache<String, State> states;
    private final ReaderBean counters;
    private final LongSupplier nanoClock;

    /** @param nanoClock a monotonic clock ({@link System#nanoTime}) */
    ListingCache(long maxDirectories, ReaderBean counters, LongSupplier nanoClock) {
        this.counters = counters;
        this.nanoClock = nanoClock;
        this.states = Caffeine.newBuilder().maximumSize(maxDirectories)
                .executor(Runnable::run).build();
    }

    @Override
    public List<String> list(Storage volume, String prefix) throws IOException {
        String stamp = volume.listingStamp(prefix);
        if (stamp == null) {
            counters.listingMisses.increment();
            return volume.list(prefix);
        }
        return listStamped(volume, prefix, stamp, true);
    }

    /**
     * The listing of {@code prefix} if this cache can serve it now, else {@code null}; for a
     * caller with a cheaper check of its own (a {@code stat}) to fall back on. Unlike {@link
     * #list} it does not list while a stamp settles, only once, to settle it: so a directory that
     * changes often (a live stream's, which gains an index window directory every window) costs
     * one listing per change, not one per call. A served listing is the same object for as long
     * as its stamp vouches for it, so its identity says that nothing in the directory was
     * created, deleted or renamed since; an empty one is not served, because every empty list is
     * the same object. {@code null} always where the backend has no stamps.
     */
    List<String> settledListing(Storage volume, String prefix) throws IOException {
        String stamp = volume.listingStamp(prefix);
        List<String> names = stamp == null ? null : listStamped(volume, prefix, stamp, false);
        return names == null || names.isEmpty() ? null : names;
    }

    /**
     * The class's rule for a stamped directory: the kept listing once settled, else a new one.
     *
     * @param whileSettling whether to list while the stamp has not settled yet ({@link #list});
     *        if not, {@code null} then, and the one listing is made when it settles
     */
    private List<String> listStamped(Storage volume, String prefix, String stamp,
                                     boolean whileSettling) throws IOException {
        State s = states.get(volume.location() + "\u0000" + prefix, k -> new State());
        synchronized (s) {
            if (stamp.equals(s.stamp) && s.settled) {
                counters.listingHits.increment();
                return s.names;
            }
            long now = nanoClock.getAsLong();
            boolean settles = stamp.equals(s.stamp)
                    && now - s.stampSeenNanos > SETTLE_MILLIS * 1_000_000L;
            if (!stamp.equals(s.stamp)) {
                s.stamp = stamp;
                s.stampSeenNanos = now;
                s.settled = false;
            }
            if (!settles && !whileSettling) {
                return null;
            }
            List<String> names = List.copyOf(volume.list(prefix));
            s.settled = settles;
            s.names = names;
            counters.listingMisses.increment();
            return names;
        }
    }

    long size() {
        states.cleanUp();
        return states.estimatedSize();
    }

    void clear() {
        states.invalidateAll();
    }
}
