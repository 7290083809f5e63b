package io.bucketlog.brigade;

import io.bucketlog.spi.NoSuchObjectException;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Claims on work units, made with put-if-absent alone: no lock server, no overwrite.
 *
 * <p>A claim is an object {@code claim-<hex>-<n>} in the unit's window directory on the first
 * volume, holding its owner's id and its expiry (wall clock of the brigade's clock, epoch
 * milliseconds):
 * <pre>
 *   owner &lt;brigade id&gt;
 *   expires &lt;epoch millis&gt;
 * </pre>
 * The unit is held by the claim with the highest {@code n} while that claim has not expired. To
 * claim, a brigade creates number 0 if there is none, or number {@code n + 1} once claim {@code n}
 * has expired; of brigades racing for the same number, put-if-absent lets exactly one win. A claim
 * is never renewed or removed before the unit's inputs are deleted: a brigade whose claim expired
 * may still finish and commit, which is safe because the commit itself is put-if-absent under the
 * unit's name (one commit wins, see {@link Commits}). Claims only keep brigades from doing the
 * same work twice; correctness never depends on them.
 */
final class Claims {
    private static final Pattern NAME = Pattern.compile("claim-([0-9a-f]{32})-(\\d{1,9})");

    private final Storage storage;
    private final Clock clock;
    private final Duration ttl;
    private final String owner;

    Claims(Storage storage, Clock clock, Duration ttl, String owner) {
        this.storage = storage;
        this.clock = clock;
        this.ttl = ttl;
        this.owner = owner;
    }

    /** A claim this brigade holds. */
    record Claim(String prefix, String hex, int number) {
        String name() {
            return prefix + "claim-" + hex + "-" + number;
        }
    }

    /**
     * Claims a unit, if no unexpired claim holds it.
     *
     * @param prefix the window directory
     * @param objects the window's objects (from its listing), to find existing claims without
     *     listing again
     */
    Optional<Claim> tryClaim(String prefix, String hex, List<String> objects) throws IOException {
        int highest = highest(hex, objects);
        if (highest >= 0 && !expired(prefix + "claim-" + hex + "-" + highest)) {
            return Optional.empty();
        }
        Claim c = new Claim(prefix, hex, highest + 1);
        byte[] content = ("owner " + owner + "\nexpires " + clock.instant().plus(ttl).toEpochMilli()
                + "\n").getBytes(StandardCharsets.UTF_8);
        return storage.putIfAbsent(c.name(), content) ? Optional.of(c) : Optional.empty();
    }

    /** Whether no later claim took the unit over since this one was made. */
    boolean stillHeld(Claim c) throws IOException {
        return highest(c.hex(), storage.list(c.prefix())) == c.number();
    }

    /**
     * Deletes the claims of a window that have expired: they hold nothing any more, and a unit
     * whose inputs changed is never claimed under the same name again. Deleting one is safe at any
     * time after its expiry: a brigade that then claims the unit creates the next free number, and
     * one still working under the deleted claim sees that it no longer holds it.
     *
     * @return how many were deleted
     */
    int deleteExpired(String prefix, List<String> objects) throws IOException {
        int n = 0;
        for (String o : objects) {
            if (NAME.matcher(o).matches() && expired(prefix + o) && storage.delete(prefix + o)) {
                n++;
            }
        }
        return n;
    }

    private static int highest(String hex, List<String> objects) {
        int highest = -1;
        for (String o : objects) {
            Matcher m = NAME.matcher(o);
            if (m.matches() && m.group(1).equals(hex)) {
                highest = Math.max(highest, Integer.parseInt(m.group(2)));
            }
        }
        return highest;
    }

    /** Whether a claim has expired; an unreadable claim counts as expired, a missing one too. */
    private boolean expired(String name) throws IOException {
        byte[] b;
        try (var in = storage.openRead(name)) {
            b = new byte[(int) Math.min(in.size(), 256)];
            in.read(0, b, 0, b.length);
        } catch (NoSuchObjectException gone) {
            return true;
        }
        for (String line : new String(b, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("expires ")) {
                try {
                    return Long.parseLong(line.substring(8).trim()) <= clock.millis();
                } catch (NumberFormatException e) {
                    return true;
                }
            }
        }
        return true;
    }
}
