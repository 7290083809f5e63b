package io.bucketlog.internal.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class RingSlotTest {
    private static final String[] CONSTANTS = {"INFO", "com.example.Orders", "main", "", "x".repeat(65)};

    private static RingSlot slot() {
        return new RingSlot(1 << 20, 64, new LargeEventBudget(1 << 20));
    }

    /** A value as a filler may offer it: a constant, a fresh String, a builder, or null. */
    private static CharSequence value(Random r) {
        return switch (r.nextInt(6)) {
            case 0, 1 -> CONSTANTS[r.nextInt(CONSTANTS.length)];
            case 2 -> "user-" + r.nextInt(20); // a new String each time, often equal to an earlier one
            case 3 -> new StringBuilder("built-").append(r.nextInt(5));
            case 4 -> "long-" + "y".repeat(60 + r.nextInt(200));
            default -> null;
        };
    }

    private static String text(CharSequence v) {
        return v == null ? "" : v.toString();
    }

    @Property(tries = 200)
    void aSlotReusedEventAfterEventHoldsExactlyWhatEachEventWasGiven(@ForAll long seed) {
        Random r = new Random(seed);
        RingSlot slot = slot();
        for (int event = 0; event < 40; event++) {
            slot.reset("s", 0);
            boolean keyed = r.nextBoolean();
            CharSequence key = value(r);
            if (keyed) {
                slot.key(key);
            }
            int n = r.nextInt(12);
            List<String> names = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = "a" + r.nextInt(4);
                CharSequence v = value(r);
                slot.attribute(name, v);
                names.add(name);
                values.add(text(v));
            }
            CharSequence body = null;
            byte[] bytes = null;
            switch (r.nextInt(4)) {
                case 0 -> {
                    CharSequence given = value(r);
                    slot.bodyText(given);
                    body = text(given); // a null body is an empty text
                }
                case 1 -> {
                    body = "appended-" + r.nextInt(3);
                    slot.bodyText().append(body);
                }
                case 2 -> {
                    bytes = new byte[r.nextInt(40)];
                    r.nextBytes(bytes);
                    slot.body(bytes, 0, bytes.length);
                }
                default -> {
                }
            }
            slot.afterFill();

            assertThat(slot.key().toString()).isEqualTo(keyed ? text(key) : "");
            assertThat(slot.attributeCount()).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                assertThat(slot.attributeName(i)).isEqualTo(names.get(i));
                assertThat(slot.attributeValue(i).toString()).as("attribute %d of event %d", i, event)
                        .isEqualTo(values.get(i));
            }
            if (body != null) {
                assertThat(slot.textBody().toString()).isEqualTo(text(body));
                assertThat(slot.textBuffer().toString()).isEqualTo(text(body));
            } else {
                assertThat(slot.textBody()).isNull();
                assertThat(slot.textBuffer()).isNull();
                int length = bytes == null ? 0 : bytes.length;
                assertThat(slot.bodyLength()).isEqualTo(length);
                if (bytes != null) {
                    assertThat(java.util.Arrays.copyOf(slot.bodyBytes(), length)).isEqualTo(bytes);
                }
            }
            if (r.nextInt(4) == 0) { // the bucket writer fitting the event in place
                assertThat(slot.keyBuffer().toString()).isEqualTo(keyed ? text(key) : "");
                for (int i = 0; i < n; i++) {
                    assertThat(slot.valueBuffer(i).toString()).isEqualTo(values.get(i));
                }
                int kept = r.nextInt(n + 1);
                slot.keepAttributes(kept);
                slot.putAttribute("mark", "cut");
                assertThat(slot.attributeCount()).isEqualTo(kept + 1);
                for (int i = 0; i < kept; i++) {
                    assertThat(slot.attributeValue(i).toString()).isEqualTo(values.get(i));
                }
                assertThat(slot.attributeName(kept)).isEqualTo("mark");
                assertThat(slot.attributeValue(kept).toString()).isEqualTo("cut");
            }
            slot.release();
        }
    }

    @Test
    void aShortStringRepeatedAtItsPlaceIsKeptByReferenceAndAChangingOneIsCopied() {
        RingSlot slot = slot();
        String level = "INFO";
        for (int lap = 0; lap < 3; lap++) {
            slot.reset("s", 0);
            slot.key("user-" + lap); // a new String every lap
            slot.attribute("level", level);
            slot.attribute("user", "user-" + lap);
            if (lap > 0) {
                assertThat(slot.attributeValue(0)).as("lap %d", lap).isSameAs(level);
            }
            assertThat(slot.attributeValue(1)).isNotInstanceOf(String.class).hasToString("user-" + lap);
            assertThat(slot.key()).isNotInstanceOf(String.class).hasToString("user-" + lap);
            slot.release();
        }
        slot.reset("s", 0);
        String longer = "z".repeat(SlotReferences.SHORT_CHARS + 1);
        slot.attribute("level", longer);
        assertThat(slot.attributeValue(0)).as("a long String is referenced: a copy costs more").isSameAs(longer);
    }

    @Test
    void aGrownBufferOfAnAttributeTheWriterDroppedIsNotKeptForTheNextEvent() {
        RingSlot slot = slot();
        slot.reset("s", 0);
        slot.attribute("small", "v");
        slot.attribute("large", new StringBuilder("x".repeat(RingSlot.MAX_RETAINED_CHARS + 1)));
        StringBuilder grown = slot.valueBuffer(1);
        slot.keepAttributes(1); // as EventLimits cuts an event too large
        slot.release();
        slot.reset("s", 0);
        slot.attribute("small", "v");
        slot.attribute("large", new StringBuilder("y"));
        StringBuilder next = slot.valueBuffer(1);
        assertThat(next).isNotSameAs(grown).hasToString("y");
        assertThat(next.capacity()).isLessThanOrEqualTo(RingSlot.MAX_RETAINED_CHARS);
    }

    @Test
    void aLongStringIsNotKeptReachableByTheSlotAfterItsEvent() throws InterruptedException {
        RingSlot slot = slot();
        String[] given = {new String("k".repeat(SlotReferences.SHORT_CHARS + 10)),
            new String("v".repeat(SlotReferences.SHORT_CHARS + 10)), new String("b".repeat(SlotReferences.SHORT_CHARS + 10))};
        List<WeakReference<String>> refs = new ArrayList<>();
        for (String s : given) {
            refs.add(new WeakReference<>(s));
        }
        slot.reset("s", 0);
        slot.key(given[0]);
        slot.attribute("a", given[1]);
        slot.bodyText(given[2]);
        assertThat(slot.key()).isSameAs(given[0]);
        slot.release();
        given = null;
        for (int i = 0; i < 50 && refs.stream().anyMatch(w -> w.get() != null); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(refs).allSatisfy(w -> assertThat(w.get()).isNull());
    }
}
