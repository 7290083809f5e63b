package io.bucketlog.config;

/**
 * A bad value of one appender option, naming the option and the value as the user wrote them.
 * A distinct type so that code that wraps other problems (for example "invalid stream settings")
 * can let this one through unchanged.
 */
public final class InvalidOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String option;
    private final String value;

    InvalidOptionException(String option, String value, String why) {
        super("invalid value '" + value + "' for option '" + option + "': " + why);
        this.option = option;
        this.value = value;
    }

    /** The option's name, as in {@link AppenderSettings}. */
    public String option() {
        return option;
    }

    /** The value as given. */
    public String value() {
        return value;
    }
}
