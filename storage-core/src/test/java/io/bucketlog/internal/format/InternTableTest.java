package io.bucketlog.internal.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InternTableTest {
    @Test
    void everyStringKeepsTheIdItFirstGotAcrossGrowthTruncationAndBuffers() {
        agreesWithAModel(new InternTable(), new Random(3));
    }

    @Test
    void aTableWithShortCopiesAgreesWithAModelForShortLongAndWideStrings() {
        agreesWithAModel(new InternTable(true), new Random(4));
    }

    @Test
    void aHashGivenInIsTheSameForAStringAndABufferOfItsChars() {
        Random r = new Random(5);
        InternTable hashedOnce = new InternTable(true);
        InternTable hashedHere = new InternTable();
        for (int step = 0; step < 5_000; step++) {
            String s = anyString(r);
            StringBuilder buffer = new StringBuilder(s);
            int hash = InternTable.hash(buffer);
            assertThat(hash).as("hash of %s", s).isEqualTo(InternTable.hash(s));
            assertThat(hashedOnce.intern(buffer, hash)).isEqualTo(hashedHere.intern(s));
            assertThat(hashedOnce.find(s, InternTable.hash(s))).isEqualTo(hashedHere.find(buffer));
        }
    }

    @Test
    void aStringIsKeptAsGivenAndABufferIsCopiedIntoBuffersReusedAfterAClear() {
        InternTable table = new InternTable();
        String given = "user-1";
        StringBuilder buffer = new StringBuilder("user-2");
        assertThat(table.get(table.intern(given))).isSameAs(given);
        int id = table.intern(buffer);
        CharSequence copy = table.get(id);
        buffer.setLength(0);
        buffer.append("changed");
        assertThat(copy.toString()).as("a copy, not the caller's buffer").isEqualTo("user-2");

        // Filled again and again with other buffers' contents, as a block's dictionary is.
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        StringBuilder value = new StringBuilder();
        long allocated = Long.MAX_VALUE;
        int[] ids = new int[500];
        for (int round = 0; round < 20; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            table.clear();
            for (int i = 0; i < ids.length; i++) {
                value.setLength(0);
                value.append("user-").append(round * 1000 + i);
                ids[i] = table.intern(value);
            }
            allocated = Math.min(allocated, mx.getCurrentThreadAllocatedBytes() - before);
            for (int i = 0; i < ids.length; i++) {
                assertThat(ids[i]).isEqualTo(i);
            }
        }
        assertThat(allocated).as("bytes allocated by a warm table filling 500 entries").isLessThan(500);
        assertThat(table.get(499).toString()).isEqualTo("user-19499");
        assertThat(table.find("user-19499")).isEqualTo(499);
    }

    /**
     * Strings of every kind a short copy must tell apart: colliding hashes ("Aa" and "BB" share
     * one), short and long ones around the copy's 24 chars, chars up to 255 (one byte each in the
     * copy) and wider ones (no copy), and strings differing only in their last char.
     */
    private static String anyString(Random r) {
        String[] colliding = {"Aa", "BB", "AaAa", "AaBB", "BBAa", "BBBB"};
        switch (r.nextInt(6)) {
            case 0:
                return colliding[r.nextInt(colliding.length)];
            case 1:
                return "k" + r.nextInt(5_000);
            default:
                StringBuilder b = new StringBuilder();
                int n = 20 + r.nextInt(8);
                for (int i = 0; i < n; i++) {
                    int kind = r.nextInt(20);
                    b.append(kind == 0 ? (char) (0x100 + r.nextInt(3)) : kind == 1 ? (char) (0xFD + r.nextInt(3))
                            : kind == 2 ? '\0' : (char) ('a' + r.nextInt(2)));
                }
                return b.toString();
        }
    }

    private static void agreesWithAModel(InternTable table, Random r) {
        Map<String, Integer> model = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            String s = anyString(r);
            CharSequence given = r.nextBoolean() ? s : new StringBuilder(s);
            int id = table.intern(given);
            Integer expected = model.get(s);
            if (expected == null) {
                assertThat(id).as("a new string gets the next id").isEqualTo(order.size());
                model.put(s, id);
                order.add(s);
            } else {
                assertThat(id).as("id of %s", s).isEqualTo(expected);
            }
            if (step % 5_000 == 4_999) {
                int keep = order.size() / 2;
                table.truncate(keep);
                for (String gone : order.subList(keep, order.size())) {
                    model.remove(gone);
                }
                order.subList(keep, order.size()).clear();
            }
        }
        assertThat(table.size()).isEqualTo(order.size());
        for (int id = 0; id < order.size(); id++) {
            assertThat(table.get(id).toString()).isEqualTo(order.get(id));
            assertThat(table.find(new StringBuilder(order.get(id)))).isEqualTo(id);
        }
        assertThat(table.find("never added")).isEqualTo(-1);
        table.clear();
        assertThat(table.size()).isZero();
        assertThat(table.find(order.get(0))).isEqualTo(-1);
        assertThat(table.intern("BB")).isZero();
    }
}
