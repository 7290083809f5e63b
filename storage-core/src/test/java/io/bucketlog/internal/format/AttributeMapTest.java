package io.bucketlog.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class AttributeMapTest {
    @Property(tries = 300)
    void attributesReadBackAsALinkedHashMapOfThemWouldGiveThem(
            @ForAll @Size(max = 24) List<@IntRange(max = 30) Integer> names,
            @ForAll @IntRange(max = 30) int absent) {
        Map<String, String> expected = new LinkedHashMap<>();
        AttributeMap.Builder builder = new AttributeMap.Builder(names.size());
        for (int i = 0; i < names.size(); i++) {
            // Names repeat: the first position and the last value are kept.
            String name = "n" + names.get(i);
            expected.put(name, "v" + i);
            builder.put(name, "v" + i);
        }
        Map<String, String> actual = builder.build();
        assertThat(actual).isEqualTo(expected);
        assertThat(expected).isEqualTo(actual);
        assertThat(actual.hashCode()).isEqualTo(expected.hashCode());
        assertThat(new ArrayList<>(actual.entrySet())).containsExactlyElementsOf(expected.entrySet());
        assertThat(actual.size()).isEqualTo(expected.size());
        String other = "n" + absent;
        assertThat(actual.get(other)).isEqualTo(expected.get(other));
        assertThat(actual.containsKey(other)).isEqualTo(expected.containsKey(other));
        assertThat(actual.get(42)).isNull();
        assertThatThrownBy(() -> actual.put("n", "v")).isInstanceOf(UnsupportedOperationException.class);
        if (!actual.isEmpty()) {
            assertThatThrownBy(actual::clear).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> actual.entrySet().iterator().next().setValue("x"))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
