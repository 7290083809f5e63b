package io.bucketlog.backend.s3;

/**
 * An access key for object stores without a provider chain of their own (MinIO, Ceph, test
 * servers). The secret never appears in {@link #toString()}, so not in messages or logs.
 *
 * @param accessKeyId the access key id
 * @param secretAccessKey the secret
 */
public record S3Credentials(String accessKeyId, String secretAccessKey) {
    public S3Credentials {
        if (accessKeyId == null || accessKeyId.isEmpty() || secretAccessKey == null || secretAccessKey.isEmpty()) {
            throw new IllegalArgumentException("an access key needs an id and a secret");
        }
    }

    @Override
    public String toString() {
        return "S3Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=(hidden)]";
    }
}
