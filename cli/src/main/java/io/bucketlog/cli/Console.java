package io.bucketlog.cli;

/**
 * What the command knows about where its output goes.
 *
 * @param terminal standard output is a terminal (not a pipe or a file)
 * @param colour levels may be coloured: a terminal, {@code NO_COLOR} unset and {@code TERM} not
 *     {@code dumb}
 */
record Console(boolean terminal, boolean colour) {
    /** A pipe or a file: what tests and scripts get. */
    static final Console PIPE = new Console(false, false);

    /** The process's own standard output. */
    static Console detect() {
        boolean terminal = System.console() != null;
        String noColor = System.getenv("NO_COLOR");
        boolean colour = terminal && (noColor == null || noColor.isEmpty())
                && !"dumb".equals(System.getenv("TERM"));
        return new Console(terminal, colour);
    }
}
