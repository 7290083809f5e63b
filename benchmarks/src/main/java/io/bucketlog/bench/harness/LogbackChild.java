package io.bucketlog.bench.harness;

import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A child JVM logging through SLF4J with Logback as the only binding on its classpath; the
 * configuration file comes from {@code -Dlogback.configurationFile}.
 */
public final class LogbackChild {
    private LogbackChild() {
    }

    public static void main(String[] args) throws InterruptedException, IOException {
        Logger log = LoggerFactory.getLogger("io.bucketlog.bench.Orders");
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            throw new IllegalStateException("Logback is not the SLF4J binding: "
                    + LoggerFactory.getILoggerFactory().getClass());
        }
        LoggingWorkload.run(args, new LoggingWorkload.Target() {
            @Override
            public void log(String user, Long orderId, Integer millis) {
                MDC.put(LoggingWorkload.MDC_KEY, user);
                log.info(LoggingWorkload.MESSAGE, orderId, user, millis);
            }

            @Override
            public void stop() {
                context.stop();
            }
        });
    }
}
