package io.bucketlog.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * The process's standard output, buffered, and ending the command when the reader goes away.
 * {@code System.out} swallows write errors, so {@code query | head -1} used to read and format the
 * whole store into a closed pipe, and {@code tail -f | head -2} never ended. Here a failed write
 * throws {@link Closed}, which unwinds the command at once; {@link BucketlogCli} exits quietly
 * with status 0, as {@code head} expects of the programs before it.
 */
final class Stdout {
    private Stdout() {
    }

    /** Thrown out of a write once standard output cannot be written any more. */
    static final class Closed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Closed(IOException cause) {
            super("standard output closed", cause);
        }
    }

    /** A writer on standard output; commands flush it when a result or a tail batch is complete. */
    static PrintWriter open() {
        return over(new FileOutputStream(FileDescriptor.out), 1 << 16);
    }

    /** A writer over {@code fd}, buffering that many chars, whose failed writes throw {@link Closed}. */
    static PrintWriter over(OutputStream fd, int bufferChars) {
        OutputStream guarded = new FilterOutputStream(fd) {
            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    throw new Closed(e);
                }
            }

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void flush() {
                try {
                    out.flush();
                } catch (IOException e) {
                    throw new Closed(e);
                }
            }
        };
        return new PrintWriter(new BufferedWriter(
                new OutputStreamWriter(guarded, Charset.defaultCharset()), bufferChars), false);
    }
}
