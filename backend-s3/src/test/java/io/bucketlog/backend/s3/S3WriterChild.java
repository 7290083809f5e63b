package io.bucketlog.backend.s3;

import io.bucketlog.spi.AppendableObject;
import io.bucketlog.spi.Storage;
import java.nio.charset.StandardCharsets;

/**
 * A writer process for {@link CrashRecoveryTest}: opens the storage at its location argument
 * through the provider, creates the object named by its second argument and appends numbered
 * records to it until it is killed, printing {@code A total} after each append; it never calls
 * {@code publish}: the background publisher alone uploads.
 */
public final class S3WriterChild {
    private S3WriterChild() {
    }

    public static void main(String[] args) throws Exception {
        try (Storage storage = new S3StorageProvider().open(args[0], false);
             AppendableObject out = storage.create(args[1])) {
            System.out.println("OPEN");
            System.out.flush();
            for (long n = 0; ; n++) {
                byte[] record = record(n);
                out.append(record, 0, record.length);
                System.out.println("A " + out.size());
                System.out.flush();
                Thread.sleep(1);
            }
        }
    }

    static byte[] record(long n) {
        String head = "record " + n + " ";
        return (head + "x".repeat(500 - head.length() - 1) + "\n").getBytes(StandardCharsets.US_ASCII);
    }
}
