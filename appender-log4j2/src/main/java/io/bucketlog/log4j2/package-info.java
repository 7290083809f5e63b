/**
 * The Log4j2 appender of Bucketlog: {@link io.bucketlog.log4j2.BucketlogAppender}, the
 * {@code <Bucketlog>} element of a Log4j2 configuration.
 */
package io.bucketlog.log4j2;
