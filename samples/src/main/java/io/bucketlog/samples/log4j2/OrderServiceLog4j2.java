package io.bucketlog.samples.log4j2;

import io.bucketlog.samples.Orders;
import java.net.URISyntaxException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * An order service that logs with the Log4j2 API and nothing else: Bucketlog is only in its
 * {@code bucketlog-log4j2.xml} (a normal application would name it {@code log4j2.xml}). Every
 * event lands in the {@code orders} stream, keyed by the user in the thread context.
 *
 * <pre>java -cp cli/target/bucketlog.jar io.bucketlog.samples.log4j2.OrderServiceLog4j2 [DIR] [ORDERS]</pre>
 */
public final class OrderServiceLog4j2 {
    /** The configuration this sample loads from the classpath. */
    public static final String CONFIG = "bucketlog-log4j2.xml";

    private OrderServiceLog4j2() {
    }

    public static void main(String[] args) throws Exception {
        run(Orders.directory(args), Orders.count(args));
    }

    /** Logs {@code count} orders into the store at {@code directory} and stops Log4j2. */
    public static void run(String directory, int count) throws URISyntaxException {
        System.setProperty("bucketlog.dir", directory);
        LoggerContext ctx = Configurator.initialize("orders-log4j2",
                OrderServiceLog4j2.class.getClassLoader(),
                OrderServiceLog4j2.class.getClassLoader().getResource(CONFIG).toURI());
        try {
            Logger log = ctx.getLogger("com.example.orders.OrderService");
            Logger payments = ctx.getLogger("com.example.orders.Payments");
            log.info("order service starting, {} orders to process", count);
            Orders orders = new Orders(42);
            for (long i = 1; i <= count; i++) {
                Orders.Order o = orders.next(i);
                ThreadContext.put("userId", o.userId());
                ThreadContext.put("orderId", Long.toString(o.id()));
                switch (o.outcome()) {
                    case OK -> log.info("order {} processed for user {} in {} ms", o.id(), o.userId(), o.millis());
                    case SLOW -> log.warn("order {} processed for user {} in {} ms: slower than 500 ms",
                            o.id(), o.userId(), o.millis());
                    case PAYMENT_DECLINED -> payments.error("order {} failed for user {}", o.id(),
                            o.userId(), Orders.declined(o));
                    default -> throw new IllegalStateException();
                }
            }
            ThreadContext.clearMap();
            log.info("order service done");
        } finally {
            // Stopping the context drains the ring and seals the buckets.
            Configurator.shutdown(ctx);
        }
    }
}
