/**
 * Bucketlog's writers and readers as Micrometer meters ({@link io.bucketlog.micrometer.BucketlogMetrics}),
 * and the Spring Boot auto-configuration that binds them.
 */
package io.bucketlog.micrometer;
