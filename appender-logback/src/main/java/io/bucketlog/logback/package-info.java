/**
 * The Logback appender of Bucketlog: {@link io.bucketlog.logback.BucketlogAppender}, configured in
 * {@code logback.xml}, stores every log event in a Bucketlog stream without blocking the
 * application.
 */
package io.bucketlog.logback;
