package io.bucketlog.internal.index;

import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.store.StoreObject;
import io.bucketlog.spi.Storage;
import java.util.List;
import java.util.Map;

/**
 * A window as the catalog last made it, with what it was made from, so that a query that finds
 * the very same inputs is given the same result instead of building it again (parsing every
 * name, checking every "superseded" entry, sorting buckets into live and hidden).
 *
 * <p>What a window's {@link WindowBuckets} depends on, and nothing else: the volumes, the names
 * listed on each, the parsed views of its index files and the buckets the roll-up area's commits
 * hide. The inputs count as the same only by identity: the very listing objects (a reader's
 * listing cache hands out the same list while its directory's stamp vouches for it, and a new
 * one otherwise) and the very views (the index cache replaces a view when its object changed).
 * Equal content in another object is a miss, which only costs the rebuild. A window whose making
 * reported anything is not kept: its checks (is a commit whose replacement is missing still
 * there?) ask the backend, so it is not a function of these inputs.
 *
 * @param volumes the layout's volumes, in order
 * @param listings each volume's listing of the window, in volume order
 * @param views each index file's view, in the order the listings name them
 * @param rolledUp the roll-up area's hidden buckets it was made with
 * @param window what the catalog made of them
 */
public record ListedWindow(List<Storage> volumes, List<List<String>> listings, List<IndexView> views,
                           Map<IndexEntry.BucketRef, IndexEntry.BucketRef> rolledUp,
                           WindowBuckets window) {
    public ListedWindow {
        volumes = List.copyOf(volumes);
        listings = List.copyOf(listings);
        views = List.copyOf(views);
        rolledUp = Map.copyOf(rolledUp);
    }

    /** Whether these are the very listings this window was made of. */
    boolean listedAs(List<Storage> volumes, List<List<String>> listings) {
        return this.volumes.equals(volumes) && sameObjects(this.listings, listings);
    }

    /**
     * The view this window was made with of the commit object {@code commit}, or {@code null} if
     * it had none. Given the very listings of this window ({@link #listedAs}), that view is the
     * commit's current content without a refresh: a commit is created whole with put-if-absent
     * and never written again, and the listing cache hands out the same listing only while no
     * file of the directory was created, deleted or renamed, so the name still holds the object
     * the view was read from. A writer's index bucket grows in place, so its view is refreshed
     * every time.
     */
    IndexView commitView(StoreObject commit) {
        for (WindowBuckets.IndexFile f : window.indexFiles()) {
            if (f.writerId() == null && f.object().equals(commit)) {
                return f.view();
            }
        }
        return null;
    }

    /** Whether a window made of these inputs is this one's {@link #window}. */
    boolean madeOf(List<Storage> volumes, List<List<String>> listings, List<IndexView> views,
                   Map<IndexEntry.BucketRef, IndexEntry.BucketRef> rolledUp) {
        return this.volumes.equals(volumes) && sameObjects(this.listings, listings)
                && sameObjects(this.views, views) && this.rolledUp.equals(rolledUp);
    }

    private static boolean sameObjects(List<?> a, List<?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }
}
