/**
 * The reader SDK: how programs read a Bucketlog store.
 *
 * <p>Open a {@link io.bucketlog.reader.BucketlogReader} once and share it. Run
 * {@linkplain io.bucketlog.reader.Query queries} (key, time range, direction, limit, attribute and
 * body filters; results in (timestamp, writerId, sequence) order), fetch timelines with
 * {@link io.bucketlog.reader.BucketlogReader#latest latest}, and follow streams live with
 * {@linkplain io.bucketlog.reader.Tail tails}. Every result can be resumed from a
 * {@link io.bucketlog.reader.Cursor}, a short string. {@link io.bucketlog.reader.LogRecord} decodes
 * events written by the log appenders.
 *
 * <pre>{@code
 * try (BucketlogReader reader = BucketlogReader.open(Path.of("/var/lib/events"))) {
 *     // A user's timeline, newest first.
 *     List<Event> timeline = reader.latest("orders", "user-42", 50);
 *
 *     // Errors of the last hour, as log records.
 *     try (Stream<Event> s = reader.query("app-logs").minLevel("ERROR")
 *             .from(Instant.now().minus(Duration.ofHours(1))).stream()) {
 *         s.map(LogRecord::of).forEach(r -> System.out.println(r.logger() + ": " + r.message()));
 *     }
 *
 *     // Follow a stream live.
 *     try (TailIterator tail = reader.tail("app-logs").iterator()) {
 *         while (tail.hasNext()) {
 *             System.out.println(tail.next().bodyText());
 *         }
 *     }
 * }
 * }</pre>
 */
package io.bucketlog.reader;
