package io.bucketlog.micrometer;

import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot: with this jar and Micrometer on the class path, every Bucketlog writer and reader
 * is under {@code /actuator/metrics} ({@code bucketlog.*}), with no code. Spring Boot binds every
 * {@link MeterBinder} bean to its registries.
 */
@AutoConfiguration
@ConditionalOnClass(MeterBinder.class)
public class BucketlogMetricsAutoConfiguration {

    /** The binder; an application's own {@link BucketlogMetrics} bean replaces it. */
    @Bean
    @ConditionalOnMissingBean
    public BucketlogMetrics bucketlogMetrics() {
        return new BucketlogMetrics();
    }
}
