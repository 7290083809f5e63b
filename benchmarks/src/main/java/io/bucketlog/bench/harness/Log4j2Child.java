package io.bucketlog.bench.harness;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * A child JVM logging through the Log4j2 API; the configuration file and context selector come
 * from system properties set by the harness. Only Log4j2 is on this JVM's classpath.
 */
public final class Log4j2Child {
    private Log4j2Child() {
    }

    public static void main(String[] args) throws InterruptedException, IOException {
        Logger log = LogManager.getLogger("io.bucketlog.bench.Orders");
        LoggingWorkload.run(args, new LoggingWorkload.Target() {
            @Override
            public void log(String user, Long orderId, Integer millis) {
                ThreadContext.put(LoggingWorkload.MDC_KEY, user);
                log.info(LoggingWorkload.MESSAGE, orderId, user, millis);
            }

            @Override
            public void stop() {
                // A long timeout: the default gives async loggers about 10 s to drain, after
                // which what is still queued is silently discarded.
                ((LoggerContext) LogManager.getContext(false)).stop(10, TimeUnit.MINUTES);
            }
        });
    }
}
