package io.bucketlog.it.spring;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * A Spring Boot web application as users write them, for {@link SpringShutdownTest}: it logs a
 * burst once started, prints {@code READY}, and logs while it shuts down, from a
 * {@code @PreDestroy} method and a lifecycle bean's {@code stop}; Tomcat's graceful shutdown logs
 * too. Logging is configured by {@code logback-spring.xml} or {@code log4j2-spring.xml}, whichever
 * framework is on the class path.
 */
@SpringBootApplication
public class ShutdownApp {
    static final int STARTUP_EVENTS = 1000;
    static final int PRE_DESTROY_EVENTS = 2000;
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownApp.class);

    public static void main(String[] args) {
        SpringApplication.run(ShutdownApp.class, args);
    }

    @Bean
    ApplicationRunner burst(Environment env) {
        return args -> {
            for (int i = 0; i < STARTUP_EVENTS; i++) {
                LOG.info("work {}", i);
            }
            System.out.println("PORT " + env.getProperty("local.server.port"));
            System.out.println("READY");
            System.out.flush();
        };
    }

    /** Logs from {@code @PreDestroy}, while the context closes. */
    @Component
    static class Closing {
        @PreDestroy
        void close() {
            for (int i = 0; i < PRE_DESTROY_EVENTS; i++) {
                LOG.info("predestroy {}", i);
            }
            LOG.warn("predestroy done");
        }
    }

    /** Logs from a lifecycle bean's stop, the phase in which the web server stops too. */
    @Component
    static class Worker implements SmartLifecycle {
        private volatile boolean running;

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            LOG.info("lifecycle stop");
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }
}
