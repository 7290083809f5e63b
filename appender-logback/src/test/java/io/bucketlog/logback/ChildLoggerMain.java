package io.bucketlog.logback;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * A separate application for {@link LifecycleTest}: Logback configures itself from
 * {@code -Dlogback.configurationFile}, the program logs {@code count} events and then either exits
 * without stopping Logback ({@code exit}: the JVM shutdown drains the ring) or waits until every
 * event is written and for its parent to kill it ({@code kill}).
 */
public final class ChildLoggerMain {
    private ChildLoggerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String mode = args[0];
        int count = Integer.parseInt(args[1]);
        org.slf4j.Logger log = LoggerFactory.getLogger("child");
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        BucketlogAppender appender = (BucketlogAppender) ctx.getLogger(Logger.ROOT_LOGGER_NAME)
                .getAppender("BUCKETLOG");
        System.out.println("writer " + appender.writerId());
        System.out.flush();
        for (int i = 0; i < count; i++) {
            log.info("child {}", i);
        }
        if (mode.equals("exit")) {
            System.exit(0);
        }
        while (appender.stats().written() < count) {
            Thread.sleep(5);
        }
        System.out.println("written " + count);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
