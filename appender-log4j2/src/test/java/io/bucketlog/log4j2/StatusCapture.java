package io.bucketlog.log4j2;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;

/** Records what reaches Log4j2's status logger at WARN and above while registered. */
class StatusCapture implements StatusListener, AutoCloseable {
    final List<StatusData> messages = new CopyOnWriteArrayList<>();
    private final AtomicBoolean open = new AtomicBoolean(true);

    StatusCapture() {
        StatusLogger.getLogger().registerListener(this);
    }

    @Override
    public void log(StatusData data) {
        messages.add(data);
    }

    @Override
    public Level getStatusLevel() {
        return Level.WARN;
    }

    List<String> texts(Level level, Predicate<String> filter) {
        return messages.stream()
                .filter(d -> d.getLevel() == level)
                .map(d -> d.getMessage().getFormattedMessage())
                .filter(filter)
                .toList();
    }

    /** Unregisters; {@code removeListener} calls this again, hence the guard. */
    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            StatusLogger.getLogger().removeListener(this);
        }
    }
}
