package io.bucketlog.internal.read;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunColumnsTest {
    @Test
    void arraysGivenBackAreLentToOneBorrowerOnly() {
        RunColumns.Pool pool = new RunColumns.Pool();
        RunColumns given = new RunColumns(1_000);
        pool.give(given);
        RunColumns first = pool.take(500);
        RunColumns second = pool.take(500);
        assertThat(first).isSameAs(given);
        assertThat(second).isNotSameAs(given);
        assertThat(second.capacity()).isGreaterThanOrEqualTo(500);
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
        assertThat(pool.take(10)).isSameAs(b);
        assertThat(pool.take(10)).isSameAs(c);
        assertThat(pool.take(10)).isNotIn(a, b, c);
    }

    @Test
    void aRunOfAFewRecordsIsNotLentASlicesArraysButALargeRequestIs() {
        RunColumns.Pool pool = new RunColumns.Pool();
        RunColumns slice = new RunColumns(1_000_000);
        pool.give(slice);
        RunColumns few = pool.take(3);
        assertThat(few).isNotSameAs(slice);
        assertThat(few.capacity()).isEqualTo(3);
        assertThat(pool.take(100_000)).as("the footer's hint is capped, so a large request is a slice's")
                .isSameAs(slice);
        pool.give(slice);
        assertThat(pool.take(250_000)).as("a quarter of the kept size").isSameAs(slice);
    }

    @Test
    void arraysARunGivesBackHoldNoStrings() {
        RunColumns.Pool pool = new RunColumns.Pool();
        DecodedRun run = new DecodedRun(4, pool);
        for (int i = 0; i < 20; i++) { // grows twice, giving the smaller arrays back each time
            run.record(1_000 - i, "writer-" + i, i, "key-" + i, 0);
        }
        run.release();
        RunColumns a = pool.take(16);
        RunColumns b = pool.take(16);
        for (RunColumns c : new RunColumns[] {a, b}) {
            assertThat(c.writers).containsOnlyNulls();
            assertThat(c.keys).containsOnlyNulls();
        }
        assertThat(a.capacity() + b.capacity()).as("the two largest sets the run used are kept")
                .isEqualTo(16 + 32);
    }
}
