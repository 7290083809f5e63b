package io.bucketlog.cli;

import io.bucketlog.config.AppenderSettings;
import java.time.Duration;
import java.util.Locale;

/** Human-readable sizes and durations for command output. */
final class Sizes {
    private Sizes() {
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    /** In the units the appender options are written in: 1d, 2h, 10m, 45s. */
    static String duration(Duration d) {
        return AppenderSettings.formatDuration(d);
    }
}
