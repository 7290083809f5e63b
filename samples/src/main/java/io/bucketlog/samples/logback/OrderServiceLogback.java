package io.bucketlog.samples.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.util.StatusPrinter2;
import io.bucketlog.samples.Orders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The same order service logging through SLF4J to Logback; Bucketlog is only in
 * {@code bucketlog-logback.xml} (a normal application would name it {@code logback.xml} and need no
 * code at all: the explicit load here only picks the sample's file by name). Events land in the
 * {@code orders-logback} stream, keyed by the user in the MDC.
 *
 * <pre>java -cp cli/target/bucketlog.jar io.bucketlog.samples.logback.OrderServiceLogback [DIR] [ORDERS]</pre>
 */
public final class OrderServiceLogback {
    /** The configuration this sample loads from the classpath. */
    public static final String CONFIG = "bucketlog-logback.xml";

    private OrderServiceLogback() {
    }

    public static void main(String[] args) throws JoranException {
        run(Orders.directory(args), Orders.count(args));
    }

    /** Logs {@code count} orders into the store at {@code directory} and stops Logback. */
    public static void run(String directory, int count) throws JoranException {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        ctx.putProperty("BUCKETLOG_DIR", directory);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        configurator.doConfigure(OrderServiceLogback.class.getClassLoader().getResource(CONFIG));
        new StatusPrinter2().printInCaseOfErrorsOrWarnings(ctx);
        try {
            Logger log = LoggerFactory.getLogger("com.example.orders.OrderService");
            Logger payments = LoggerFactory.getLogger("com.example.orders.Payments");
            log.info("order service starting, {} orders to process", count);
            Orders orders = new Orders(7);
            for (long i = 1; i <= count; i++) {
                Orders.Order o = orders.next(i);
                MDC.put("userId", o.userId());
                MDC.put("orderId", Long.toString(o.id()));
                switch (o.outcome()) {
                    case OK -> log.info("order {} processed for user {} in {} ms", o.id(), o.userId(), o.millis());
                    case SLOW -> log.warn("order {} processed for user {} in {} ms: slower than 500 ms",
                            o.id(), o.userId(), o.millis());
                    case PAYMENT_DECLINED -> payments.error("order {} failed for user {}", o.id(),
                            o.userId(), Orders.declined(o));
                    default -> throw new IllegalStateException();
                }
            }
            MDC.clear();
            log.info("order service done");
        } finally {
            // Stopping the context drains the ring and seals the buckets.
            ctx.stop();
        }
    }
}
