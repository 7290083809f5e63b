package io.bucketlog.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A filled source reads what its filler writes, asking no further than its reads reach. */
class ByteSourceTest {
    @Test
    void aFilledSourceAsksItsFillerOnlyForWhatIsReadAndChecksLengthsAgainstItsEnd() {
        byte[] raw = new byte[4_000];
        for (int k = 0; k < raw.length; k++) {
            raw[k] = (byte) k;
        }
        byte[] buf = new byte[raw.length];
        int[] asked = {0};
        ByteSource.Filler filler = need -> {
            assertThat(need).isLessThanOrEqualTo(raw.length);
            System.arraycopy(raw, asked[0], buf, asked[0], need - asked[0]);
            asked[0] = need;
            return need;
        };
        ByteSource in = ByteSource.filling(buf, 0, raw.length, 0, filler);
        assertThat(in.remaining()).isEqualTo(raw.length);
        assertThat(in.readByte()).isEqualTo(0);
        assertThat(asked[0]).isLessThan(1_000);
        in.skip(2_000);
        assertThat(in.readInt()).isEqualTo(ByteSource.getInt(raw, 2_001));
        assertThat(asked[0]).isLessThan(3_000);
        assertThatThrownBy(() -> in.skip(raw.length)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("truncated");
        in.skip(in.remaining());
        assertThat(asked[0]).isEqualTo(raw.length);
    }
}
