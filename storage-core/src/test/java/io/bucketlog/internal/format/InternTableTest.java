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
        InternTable table = new InternTable();
        Map<String, Integer> model = new HashMap<>();
        List<String> order = new ArrayList<>();
        Random r = new Random(3);
        // "Aa" and "BB" (and their concatenations) share a hash code: probes must compare content.
        String[] colliding = {"Aa", "BB", "AaAa", "AaBB", "BBAa", "BBBB"};
        for (int step = 0; step < 20_000; step++) {
            String s = r.nextInt(10) == 0 ? colliding[r.nextInt(colliding.length)]
                    : "k" + r.nextInt(5_000);
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
            assertThat(table.get(id)).isEqualTo(order.get(id));
            assertThat(table.find(new StringBuilder(order.get(id)))).isEqualTo(id);
        }
        assertThat(table.find("never added")).isEqualTo(-1);
        table.clear();
        assertThat(table.size()).isZero();
        assertThat(table.find(order.get(0))).isEqualTo(-1);
        assertThat(table.intern("BB")).isZero();
    }
}
