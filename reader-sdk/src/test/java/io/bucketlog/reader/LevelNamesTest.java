package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketlog.Event;
import io.bucketlog.EventId;
import io.bucketlog.LogAttributes;
import io.bucketlog.config.AppenderSettings;
import io.bucketlog.config.InvalidOptionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The three places that read a level name (the appenders' {@code dropBelowLevel}, the query
 * filter, the priority scale) accept the same names and rank them alike.
 */
class LevelNamesTest {

    static List<String> levelNames() {
        List<String> names = new ArrayList<>();
        for (String n : LogAttributes.LEVEL_NAMES) {
            names.add(n);
            names.add(n.toLowerCase(Locale.ROOT));
        }
        names.add("WARNING");
        names.add("Warning");
        return names;
    }

    @ParameterizedTest
    @MethodSource("levelNames")
    void everyLevelNameIsAcceptedAndRankedAlikeByTheDropPolicyTheQueryFilterAndThePriorityScale(String name) {
        int priority = LogAttributes.priorityOf(name);
        String canonical = name.equalsIgnoreCase("WARNING") ? "WARN" : name.toUpperCase(Locale.ROOT);
        assertThat(priority).isEqualTo(100 * (LogAttributes.LEVEL_NAMES.indexOf(canonical) + 1));
        assertThat(LogAttributes.isLevel(name)).isTrue();

        int dropBelow = dropBelow(name).writerOptions().build().dropBelowPriority();
        assertThat(dropBelow).isEqualTo(priority);

        Predicate<Event> filter = EventFilters.minLevel(name);
        for (String stored : LogAttributes.LEVEL_NAMES) {
            assertThat(filter.test(event(stored)))
                    .as("minLevel(%s) on an event at %s", name, stored)
                    .isEqualTo(LogAttributes.priorityOf(stored) >= priority);
        }
        assertThat(filter.test(event("WARNING"))).isEqualTo(400 >= priority);
    }

    @ParameterizedTest
    @ValueSource(strings = {"WARNINGS", "VERBOSE", "SEVERE", "ALL", "OFF", "INFO!"})
    void aNameThatIsNotALevelIsRefusedByTheDropPolicyAndTheQueryFilterAlike(String name) {
        assertThat(LogAttributes.isLevel(name)).isFalse();
        assertThatThrownBy(() -> dropBelow(name))
                .isInstanceOfSatisfying(InvalidOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("dropBelowLevel"))
                .hasMessageEndingWith("expected " + LogAttributes.LEVEL_CHOICES);
        assertThatThrownBy(() -> EventFilters.minLevel(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("expected " + LogAttributes.LEVEL_CHOICES);
    }

    private static AppenderSettings.Resolved dropBelow(String level) {
        return new AppenderSettings("store-never-opened", null, null, null, null, null, null, null,
                null, null, "drop-below", level, null).resolve((message, cause) -> { });
    }

    private static Event event(String level) {
        return new Event("logs", "k", 1L, Map.of(LogAttributes.LEVEL, level), new byte[0],
                new EventId("w", 1));
    }
}
