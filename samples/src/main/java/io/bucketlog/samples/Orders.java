package io.bucketlog.samples;

import java.util.Random;

/**
 * The made-up business both logging samples log about: orders of a few hundred users, most
 * processed fine, some slow, a few failing. Seeded, so every run tells the same story.
 */
public final class Orders {
    /** How many distinct users the orders belong to. */
    public static final int USERS = 200;

    private final Random random;

    public Orders(long seed) {
        this.random = new Random(seed);
    }

    /** One order: its number, user, processing time and outcome. */
    public record Order(long id, String userId, int millis, Outcome outcome) {
    }

    /** What happened to an order. */
    public enum Outcome { OK, SLOW, PAYMENT_DECLINED }

    public Order next(long id) {
        String user = "user-" + random.nextInt(USERS);
        int roll = random.nextInt(100);
        Outcome outcome = roll < 3 ? Outcome.PAYMENT_DECLINED : roll < 10 ? Outcome.SLOW : Outcome.OK;
        int millis = outcome == Outcome.SLOW ? 800 + random.nextInt(2000) : 5 + random.nextInt(60);
        return new Order(id, user, millis, outcome);
    }

    /** The exception a declined payment is logged with: a cause chain, as real ones have. */
    public static Exception declined(Order o) {
        return new IllegalStateException("payment declined for order " + o.id(),
                new java.io.IOException("card issuer answered 402 for user " + o.userId()));
    }

    /** The store directory: the first argument, else {@code bucketlog-samples} in the working directory. */
    public static String directory(String[] args) {
        return args.length > 0 ? args[0] : "bucketlog-samples";
    }

    /** The number of orders: the second argument, else 10,000. */
    public static int count(String[] args) {
        return args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    }
}
