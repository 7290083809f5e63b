package io.bucketlog.internal.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FooterBuilderTest {
    /** What the footer must say of one key, computed the obvious way. */
    private static final class Expected {
        long count;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        final List<Integer> blocks = new ArrayList<>();
    }

    @Test
    void theKeyTableSaysEachKeysCountTimeRangeAndBlocksAsAModelDoes() {
        Random r = new Random(12);
        FooterBuilder footer = new FooterBuilder();
        TreeMap<String, Expected> model = new TreeMap<>();
        int blocks = 300;
        for (int b = 0; b < blocks; b++) {
            int events = 1 + r.nextInt(b % 7 == 0 ? 400 : 40);
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int i = 0; i < events; i++) {
                // Few keys in some blocks (repeats within a block), many in others; timestamps out
                // of order, some equal.
                String key = "u" + r.nextInt(b % 3 == 0 ? 5 : 3000);
                long ts = 1_000_000L + r.nextInt(1_000_000) * (r.nextBoolean() ? 1L : -1L);
                footer.addEvent(new StringBuilder(key), ts);
                Expected e = model.computeIfAbsent(key, k -> new Expected());
                e.count++;
                e.min = Math.min(e.min, ts);
                e.max = Math.max(e.max, ts);
                if (e.blocks.isEmpty() || e.blocks.get(e.blocks.size() - 1) != b) {
                    e.blocks.add(b);
                }
                min = Math.min(min, ts);
                max = Math.max(max, ts);
            }
            footer.addBlock(new BlockEntry(100L * b, Frame.HEADER_BYTES + 1, min, max, events));
        }
        ByteSink out = new ByteSink(1024);
        footer.writeTo(out);

        BucketFooter read = BucketFooter.readFrom(new ByteSource(out.array(), 0, out.size()),
                Long.MAX_VALUE);

        assertThat(read.blocks()).hasSize(blocks);
        assertThat(read.keys()).containsExactlyElementsOf(model.keySet());
        int k = 0;
        for (Expected e : model.values()) {
            assertThat(read.keyCounts()[k]).as("count of %s", read.keys()[k]).isEqualTo(e.count);
            assertThat(read.keyMin()[k]).as("min of %s", read.keys()[k]).isEqualTo(e.min);
            assertThat(read.keyMax()[k]).as("max of %s", read.keys()[k]).isEqualTo(e.max);
            assertThat(read.keyBlocks()[k]).as("blocks of %s", read.keys()[k])
                    .containsExactly(e.blocks.stream().mapToInt(Integer::intValue).toArray());
            assertThat(read.bloom().mightContain(read.keys()[k])).isTrue();
            k++;
        }
    }
}
