package io.bucketlog.internal.read;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunColumnsTest {
    @Test
    void arraysGivenBackAreLentToOneBorrowerOnly() {
        RunColumns.Pool pool = new RunColumns.Pool();
        RunColumns given = new RunColumns(1_000);
        pool.give(given);
        RunColumns first = pool.take(10);
        RunColumns second = pool.take(10);
        assertThat(first).isSameAs(given);
        assertThat(second).isNotSameAs(given);
        assertThat(second.capacity()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void theSmallestSetThatFitsIsLentAndTooSmallOnesAreNot() {
        RunColumns.Pool pool = new RunColumns.Pool();
        RunColumns small = new RunColumns(100);
        RunColumns large = new RunColumns(10_000);
        pool.give(large);
        pool.give(small);
        assertThat(pool.take(5_000)).isSameAs(large);
        RunColumns fresh = pool.take(5_000);
        assertThat(fresh).isNotSameAs(small);
        assertThat(fresh.capacity()).isEqualTo(5_000);
        assertThat(pool.take(50)).isSameAs(small);
    }

    @Test
    void aRunThatOutgrowsItsArraysTakesKeptOnesJustLargerBeforeDoublingNewOnes() {
        RunColumns.Pool pool = new RunColumns.Pool();
        RunColumns kept = new RunColumns(1_100);
        pool.give(kept);
        assertThat(pool.take(1_001, 2_000)).isSameAs(kept);
        assertThat(pool.take(1_001, 2_000).capacity()).isEqualTo(2_000);
    }

    @Test
    void aFullPoolKeepsTheLargerSets() {
        RunColumns.Pool pool = new RunColumns.Pool();
        RunColumns a = new RunColumns(10);
        RunColumns b = new RunColumns(20);
        RunColumns c = new RunColumns(30);
        pool.give(a);
        pool.give(b);
        pool.give(c);
        assertThat(pool.take(1)).isSameAs(b);
        assertThat(pool.take(1)).isSameAs(c);
        assertThat(pool.take(1)).isNotIn(a, b, c);
    }
}
