package io.bucketlog.bench.harness;

import java.util.List;

/**
 * The logging configurations the harness compares, each run in its own child JVM with only its
 * framework on the classpath (logging frameworks are global per JVM).
 */
enum LogConfig {
    // The floors come first in each run, so that every other row's ratio to its framework's floor
    // is taken within the same run.
    LOG4J2_FLOOR("Log4j2 NullAppender (floor)", Framework.LOG4J2, "log4j2-null.xml", List.of(),
            Output.NONE, true),
    LOGBACK_FLOOR("Logback discarding AppenderBase (floor)", Framework.LOGBACK, "logback-null.xml",
            List.of(), Output.NONE, true),
    BUCKETLOG_LOG4J2("Bucketlog Log4j2 appender", Framework.LOG4J2, "log4j2-bucketlog.xml",
            List.of(), Output.STORE, true),
    LOG4J2_ASYNC_RAF("Log4j2 all-async + RandomAccessFile", Framework.LOG4J2, "log4j2-raf.xml",
            List.of("-Dlog4j2.contextSelector="
                    + "org.apache.logging.log4j.core.async.AsyncLoggerContextSelector"),
            Output.TEXT, true),
    LOG4J2_SYNC_RAF("Log4j2 sync + RandomAccessFile", Framework.LOG4J2, "log4j2-raf.xml",
            List.of(), Output.TEXT, true),
    BUCKETLOG_LOGBACK("Bucketlog Logback appender", Framework.LOGBACK, "logback-bucketlog.xml",
            List.of(), Output.STORE, true),
    LOGBACK_ASYNC_FILE("Logback AsyncAppender(neverBlock) + File", Framework.LOGBACK,
            "logback-async-file.xml", List.of(), Output.TEXT, false);

    enum Framework { LOG4J2, LOGBACK }

    /** Where events go: a store, a text log, or nowhere (a floor, which persists nothing). */
    enum Output { STORE, TEXT, NONE }

    final String title;
    final Framework framework;
    final String configResource;
    final List<String> jvmArgs;
    final Output output;
    /** Whether no event may be lost: every configuration but the one documented to drop. */
    final boolean lossless;

    LogConfig(String title, Framework framework, String configResource, List<String> jvmArgs,
              Output output, boolean lossless) {
        this.title = title;
        this.framework = framework;
        this.configResource = "io/bucketlog/bench/harness/" + configResource;
        this.jvmArgs = jvmArgs;
        this.output = output;
        this.lossless = lossless;
    }

    boolean ours() {
        return output == Output.STORE;
    }

    /** The no-op configuration of this configuration's framework. */
    LogConfig floor() {
        return framework == Framework.LOG4J2 ? LOG4J2_FLOOR : LOGBACK_FLOOR;
    }

    boolean isFloor() {
        return output == Output.NONE;
    }
}
