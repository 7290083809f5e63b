package io.bucketlog.logback;

import static io.bucketlog.logback.LogbackConfigs.configure;
import static io.bucketlog.logback.LogbackConfigs.readAll;
import static net.logstash.logback.argument.StructuredArguments.entries;
import static net.logstash.logback.argument.StructuredArguments.keyValue;
import static net.logstash.logback.argument.StructuredArguments.kv;
import static net.logstash.logback.argument.StructuredArguments.value;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import io.bucketlog.Event;
import io.bucketlog.LogAttributes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.logstash.logback.marker.Markers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * logstash-logback-encoder's structured arguments and appending markers, logged through real
 * SLF4J calls into Logback, are stored as the same {@code kv.} fields as SLF4J key-value pairs.
 */
class StructuredFieldsTest {
    private static final String KV = LogAttributes.KEY_VALUE_PREFIX;

    @TempDir
    Path dir;

    @AfterEach
    void stopAppenders() {
        LogbackConfigs.context().reset();
    }

    @Test
    void structuredArgumentsAndAppendedMarkersAreStoredAsFieldsWithTheirValuesAtTheCall() {
        LoggerContext ctx = configure("options.xml", Map.of("directory", dir.toString()));
        org.slf4j.Logger log = LoggerFactory.getLogger("fields");
        List<String> items = new ArrayList<>(List.of("apple"));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("region", "eu");
        extra.put("attempt", 2);
        log.info("order {} of {} in {}", kv("orderId", 1234), keyValue("user", "u-42"), value("shop", "web"));
        log.info(Markers.append("items", items).and(Markers.append("total", 9.5)), "with markers");
        log.info("entries {}", entries(extra));
        log.atWarn().addKeyValue("orderId", 77).log("slf4j pair");
        items.add("pear");
        ctx.reset();

        List<Event> stored = readAll(dir, "logs");
        assertThat(stored).hasSize(4);
        assertThat(stored.get(0).bodyText()).isEqualTo("order orderId=1234 of user=u-42 in web");
        assertThat(stored.get(0).attributes()).containsEntry(KV + "orderId", "1234")
                .containsEntry(KV + "user", "u-42").containsEntry(KV + "shop", "web");
        assertThat(stored.get(1).attributes()).containsEntry(KV + "items", "[\"apple\"]")
                .containsEntry(KV + "total", "9.5");
        assertThat(stored.get(2).attributes()).containsEntry(KV + "region", "eu")
                .containsEntry(KV + "attempt", "2");
        assertThat(stored.get(3).attributes()).containsEntry(KV + "orderId", "77");
    }
}
