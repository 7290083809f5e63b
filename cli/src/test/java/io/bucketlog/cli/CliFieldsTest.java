package io.bucketlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.joran.JoranConfigurator;
import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.reader.LogRecord;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.message.StringMapMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Structured fields logged through real Log4j2 ({@code StringMapMessage}) and Logback (SLF4J 2
 * key-value pairs) calls reach the reader SDK's {@link LogRecord#fields()} under the same names,
 * and every output format of {@code query} shows them; JSON has the throwable's class and message.
 */
class CliFieldsTest {
    @TempDir
    static Path store;

    @BeforeAll
    static void logThroughBothFrameworks() throws Exception {
        System.setProperty("bucketlog.fields.dir", store.toString());
        LoggerContext log4j2 = new LoggerContext("fields", null,
                CliFieldsTest.class.getResource("/fields-log4j2.xml").toURI());
        log4j2.start();
        log4j2.getLogger("orders").error(new StringMapMessage().with("orderId", "1234").with("user", "u-42"),
                new IllegalStateException("card declined"));
        log4j2.stop();

        ch.qos.logback.classic.LoggerContext logback = new ch.qos.logback.classic.LoggerContext();
        logback.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // SLF4J's binding would
        JoranConfigurator config = new JoranConfigurator();
        config.setContext(logback);
        config.doConfigure(CliFieldsTest.class.getResource("/fields-logback.xml"));
        logback.getLogger("orders").atError().addKeyValue("orderId", 1234).addKeyValue("user", "u-42")
                .setCause(new IllegalStateException("card declined")).log("payment failed");
        logback.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"log4j2", "logback"})
    void theReaderSdkHasTheFieldsUnderTheSameNames(String stream) {
        try (BucketlogReader reader = BucketlogReader.open(store)) {
            List<LogRecord> records = reader.query(stream).list().stream().map(LogRecord::of).toList();
            assertThat(records).hasSize(1);
            assertThat(records.get(0).fields()).containsEntry("orderId", "1234").containsEntry("user", "u-42");
            assertThat(records.get(0).thrown().className()).isEqualTo(IllegalStateException.class.getName());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"log4j2", "logback"})
    void textJsonAndLogfmtShowTheFieldsAndJsonTheThrowablesClassAndMessage(String stream) {
        CliOutputTest.Run text = CliOutputTest.cli("query", store.toString(), "-s", stream, "-o", "text");
        assertThat(text.code()).isZero();
        assertThat(text.lines().get(0)).contains(" orderId=1234", " user=u-42");

        CliOutputTest.Run json = CliOutputTest.cli("query", store.toString(), "-s", stream, "-o", "json");
        assertThat(json.lines().get(0)).contains("\"fields\":{\"orderId\":\"1234\",\"user\":\"u-42\"}",
                "\"thrown.class\":\"java.lang.IllegalStateException\"",
                "\"thrown.message\":\"card declined\"",
                "\"thrown\":\"java.lang.IllegalStateException: card declined\\n\\tat ");

        CliOutputTest.Run logfmt = CliOutputTest.cli("query", store.toString(), "-s", stream, "-o", "logfmt");
        assertThat(logfmt.lines().get(0)).contains("kv.orderId=1234", "kv.user=u-42",
                "thrown.class=java.lang.IllegalStateException", "thrown.message=\"card declined\"");
    }

    @Test
    void bothAppendersStoreTheSameFieldNames() {
        try (BucketlogReader reader = BucketlogReader.open(store)) {
            LogRecord log4j2 = LogRecord.of(reader.query("log4j2").list().get(0));
            LogRecord logback = LogRecord.of(reader.query("logback").list().get(0));
            assertThat(log4j2.fields()).isEqualTo(logback.fields());
        }
    }
}
