package io.bucketlog.log4j2;

import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Run in a child JVM: logs {@code count} events through {@code child.xml} and returns from main
 * without stopping Log4j2, so that only the JVM shutdown (Log4j2's shutdown hook) drains the ring
 * and seals the buckets.
 */
public final class ChildProcessLogger {
    private ChildProcessLogger() {
    }

    public static void main(String[] args) {
        System.setProperty("bucketlog.dir", args[0]);
        int count = Integer.parseInt(args[1]);
        LoggerContext ctx = Configurator.initialize("child", ChildProcessLogger.class.getClassLoader(),
                Stored.uri("child.xml"));
        Logger log = ctx.getLogger("child");
        for (int i = 0; i < count; i++) {
            log.info("child event {}", i);
        }
        System.out.println("logged " + count);
    }
}
