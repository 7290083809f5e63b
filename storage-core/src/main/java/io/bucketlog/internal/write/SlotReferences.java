package io.bucketlog.internal.write;

/**
 * When a {@link RingSlot} keeps a {@code String} by reference and when it copies it.
 *
 * <p>A slot lives as long as the ring, so the collector has long promoted it, and under G1 every
 * store of a reference into an old object that points to another region goes through the
 * post-write barrier's slow path (a StoreLoad fence), dirties a card and makes work for the
 * refinement threads; the ring's cards are many and cold, so each one dirtied is refined.
 * Event after event a slot would store the same stream, attribute names and level, logger and
 * thread {@code String}s again, and a key and context value that change: about eleven such
 * stores per event, which kept a refinement thread busy for a fifth of the Log4j2 appender's
 * run (docs/PERFORMANCE.md, "The ring slots under G1"). So:
 * <ul>
 *   <li>every reference field is compared before it is written;</li>
 *   <li>a {@code String} of at most {@link #SHORT_CHARS} characters is kept by reference only
 *       if it looks like the one offered at the same place in the slot's last event (its hash is
 *       that one's): a value repeated lap after lap is then stored once, while one that
 *       changes (a user id) is copied into the slot's buffer, a few characters against a
 *       barrier and a refined card. A wrong guess only chooses copy or reference;</li>
 *   <li>a released slot keeps such a short reference for its next event instead of clearing
 *       it: a slot holds on to at most that many characters per attribute, key and body beyond
 *       its event, less than its own buffers keep. A longer one is cleared (a {@code null} store
 *       costs no barrier), so that a logged value is not kept reachable.</li>
 * </ul>
 */
final class SlotReferences {
    /**
     * A {@code String} up to this long is copied unless it repeats the slot's last event's, and
     * if referenced stays in the slot after its event.
     */
    static final int SHORT_CHARS = 64;

    private SlotReferences() {
    }

    /**
     * Whether {@code s}, offered where the slot's last event offered a {@code String} of hash
     * {@code lastHash}, is kept by reference rather than copied: a long one always (a copy costs
     * more than the barrier), a short one only if it looks like a repeat.
     */
    static boolean byReference(String s, int lastHash) {
        return s.length() > SHORT_CHARS || s.hashCode() == lastHash;
    }

    /**
     * What a field holding {@code v} may keep after its event: {@code v} if it is the field's
     * current {@code buffer} or a short {@code String}, else {@code null}.
     */
    static CharSequence kept(CharSequence v, StringBuilder buffer) {
        if (v == null || v == buffer) {
            return v;
        }
        return v instanceof String s && s.length() <= SHORT_CHARS ? v : null;
    }
}
