package io.bucketlog.backend.s3;

import io.bucketlog.spi.NoSuchObjectException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The few S3 requests this backend makes, on one bucket, with the SDK's exceptions turned into
 * {@link IOException}s that name the {@code s3://} location (never a credential).
 */
final class BucketClient implements AutoCloseable {
    /** User metadata (x-amz-meta-...) naming who created an object, to tell an own retried create. */
    static final String TOKEN = "bucketlog-token";
    /** User metadata of a growing object's head: the incarnation its parts are kept under. */
    static final String GROWING = "bucketlog-growing";

    private final S3Client s3;
    private final String bucket;
    // requests made, in the classes S3 bills them by (a retried request counts once)
    private final LongAdder puts = new LongAdder();
    private final LongAdder gets = new LongAdder();
    private final LongAdder lists = new LongAdder();
    private final LongAdder deletes = new LongAdder();

    BucketClient(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /**
     * What a HEAD says of an object.
     *
     * @param lastModified when the store stamped it, moved to this host's clock ({@link #local})
     */
    record Head(long size, String etag, Map<String, String> metadata, Instant lastModified) {
    }

    /**
     * A key found by listing.
     *
     * @param lastModified when the store stamped it, moved to this host's clock ({@link #local})
     */
    record Listed(String key, long size, String etag, Instant lastModified) {
    }

    /** What a listing with the delimiter {@code /} found directly under a prefix. */
    record Children(List<String> keys, List<String> prefixes) {
    }

    /** The requests made so far. */
    S3Storage.Requests requests() {
        return new S3Storage.Requests(puts.sum(), gets.sum(), lists.sum(), deletes.sum());
    }

    String where(String key) {
        return S3Location.SCHEME + bucket + "/" + key;
    }

    Optional<Head> head(String key) throws IOException {
        try {
            gets.increment(); // S3 bills a HEAD as a GET
            long sent = System.currentTimeMillis();
            HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(new Head(r.contentLength(), unquote(r.eTag()), r.metadata(),
                    local(r.lastModified(), r.sdkHttpResponse(), sent)));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("HEAD", key, e);
        } catch (SdkException e) {
            throw failure("HEAD", key, e);
        }
    }

    /**
     * A time the store stamped ({@code Last-Modified}) as this host's clock read at that moment:
     * moved by how far this host's clock (the middle of the request) is from the store's (the
     * answer's {@code Date}). Only the store's clock then decides how long ago an object changed,
     * so a host or writer with a skewed clock cannot make a live object look idle. Both headers
     * count whole seconds, so the result is good to about a second; an answer without a
     * {@code Date} is taken to agree with this host.
     */
    static Instant local(Instant stamp, SdkHttpResponse answer, long sentMillis) {
        long received = System.currentTimeMillis();
        if (stamp == null) {
            return Instant.ofEpochMilli(received); // a store that stamps nothing: changed now, never idle
        }
        Optional<String> date = answer.firstMatchingHeader("Date");
        if (date.isEmpty()) {
            return stamp;
        }
        try {
            long storeNow = ZonedDateTime.parse(date.get(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant().toEpochMilli();
            return stamp.plusMillis(sentMillis + (received - sentMillis) / 2 - storeNow);
        } catch (DateTimeParseException e) {
            return stamp;
        }
    }

    /** Every key under {@code keyPrefix}, in key order. */
    List<Listed> listAll(String keyPrefix) throws IOException {
        List<Listed> out = new ArrayList<>();
        try {
            String token = null;
            do {
                String continuation = token;
                lists.increment();
                long sent = System.currentTimeMillis();
                ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket(bucket).prefix(keyPrefix)
                        .continuationToken(continuation));
                for (S3Object o : r.contents()) {
                    out.add(new Listed(o.key(), o.size(), unquote(o.eTag()),
                            local(o.lastModified(), r.sdkHttpResponse(), sent)));
                }
                token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw failure("LIST", keyPrefix, e);
        }
        return out;
    }

    /** The keys and the sub-prefixes directly under {@code keyPrefix} (which is "" or ends with /). */
    Children children(String keyPrefix) throws IOException {
        List<String> keys = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        try {
            String token = null;
            do {
                String continuation = token;
                lists.increment();
                ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket(bucket).prefix(keyPrefix).delimiter("/")
                        .continuationToken(continuation));
                for (S3Object o : r.contents()) {
                    keys.add(o.key());
                }
                for (CommonPrefix p : r.commonPrefixes()) {
                    prefixes.add(p.prefix());
                }
                token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw failure("LIST", keyPrefix, e);
        }
        return new Children(keys, prefixes);
    }

    /**
     * Reads up to {@code length} bytes at {@code position} of {@code key}; fewer only at its end.
     *
     * @param etag the ETag the object must still have, or null
     * @throws NoSuchObjectException if there is no such key
     * @throws ChangedException if it no longer has {@code etag}
     */
    int read(String key, String etag, long position, byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        String range = "bytes=" + position + "-" + (position + length - 1);
        gets.increment();
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> {
            b.bucket(bucket).key(key).range(range);
            if (etag != null) {
                b.ifMatch(quote(etag));
            }
        })) {
            return in.readNBytes(into, offset, length);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NoSuchObjectException(where(key));
            }
            if (e.statusCode() == 416) {
                return 0;
            }
            if (e.statusCode() == 412) {
                throw new ChangedException(where(key));
            }
            throw failure("GET", key, e);
        } catch (SdkException | UncheckedIOException e) {
            throw failure("GET", key, e);
        }
    }

    /** The whole content of {@code key}. */
    byte[] readAll(String key) throws IOException {
        gets.increment();
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            return in.readAllBytes();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NoSuchObjectException(where(key));
            }
            throw failure("GET", key, e);
        } catch (SdkException | UncheckedIOException e) {
            throw failure("GET", key, e);
        }
    }

    /**
     * PUT with {@code If-None-Match: *}.
     *
     * @return whether it was created; {@code false} if the key exists (412)
     */
    boolean putIfNoneMatch(String key, RequestBody body, Map<String, String> metadata) throws IOException {
        puts.increment();
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*").metadata(metadata), body);
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                return false;
            }
            throw failure("PUT", key, e);
        } catch (SdkException | UncheckedIOException e) {
            throw failure("PUT", key, e);
        }
    }

    /** PUT that replaces: only a sealed object's whole replaces its growing head. */
    void put(String key, RequestBody body) throws IOException {
        puts.increment();
        try {
            s3.putObject(b -> b.bucket(bucket).key(key), body);
        } catch (SdkException | UncheckedIOException e) {
            throw failure("PUT", key, e);
        }
    }

    /** Uploads the first {@code length} bytes of {@code file} as {@code key}, in parts of {@code partBytes}. */
    void putMultipart(String key, FileChannel file, long length, long partBytes) throws IOException {
        String uploadId;
        puts.increment(); // create, each part and complete are billed as PUT/POST requests
        try {
            uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        } catch (SdkException e) {
            throw failure("POST (create multipart upload)", key, e);
        }
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long at = 0; at < length; at += partBytes, number++) {
                int n = (int) Math.min(partBytes, length - at);
                ByteBuffer chunk = ByteBuffer.allocate(n);
                readFully(file, chunk, at);
                int partNumber = number;
                puts.increment();
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber),
                        RequestBody.fromByteBuffer(chunk.flip())).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            puts.increment();
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (SdkException | UncheckedIOException | IOException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException abort) {
                e.addSuppressed(abort);
            }
            throw e instanceof IOException io ? io : failure("multipart upload", key, e);
        }
    }

    static void readFully(FileChannel file, ByteBuffer into, long position) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = file.read(into, at);
            if (n < 0) {
                throw new IOException("spool file ends before " + (position + into.limit()));
            }
            at += n;
        }
    }

    void delete(String key) throws IOException {
        deletes.increment();
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw failure("DELETE", key, e);
        }
    }

    /** Deletes every key listed under {@code keyPrefix}. */
    void deletePrefix(String keyPrefix) throws IOException {
        deleteAll(listAll(keyPrefix).stream().map(Listed::key).toList());
    }

    /** Deletes {@code keys}, a thousand per request. */
    private void deleteAll(List<String> keys) throws IOException {
        for (int from = 0; from < keys.size(); from += 1000) {
            List<ObjectIdentifier> ids = keys.subList(from, Math.min(keys.size(), from + 1000)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            deletes.increment();
            try {
                var r = s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(ids).quiet(true).build()));
                if (!r.errors().isEmpty()) {
                    throw new IOException(where(r.errors().get(0).key()) + ": cannot delete: "
                            + r.errors().get(0).code() + " (and " + (r.errors().size() - 1) + " more)");
                }
            } catch (SdkException e) {
                throw failure("DELETE", ids.get(0).key(), e);
            }
        }
    }

    /** Fails unless the bucket exists and can be reached. */
    void checkBucket() throws IOException {
        gets.increment();
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new IOException(S3Location.SCHEME + bucket + ": no such bucket");
            }
            throw failure("HEAD (bucket)", "", e);
        } catch (SdkException e) {
            throw failure("HEAD (bucket)", "", e);
        }
    }

    /**
     * Whether trying again may succeed: the store could not be reached or answered, was busy
     * (429, 503), failed (5xx), or saw a conditional write race another (409).
     */
    static boolean isTransient(IOException e) {
        Throwable cause = e.getCause();
        if (cause instanceof S3Exception s3e) {
            int status = s3e.statusCode();
            return status >= 500 || status == 429 || status == 409;
        }
        return cause instanceof SdkClientException || cause instanceof UncheckedIOException;
    }

    /**
     * Whether the store answered 400 without saying why (no S3 error code), which the SDK is
     * told to try again, as it does a 5xx. S3 names its reason for a 400 in an error document;
     * a bare 400 is what S3Proxy's stores answer to a HEAD or GET that races a PUT replacing the
     * object with one of other metadata (a seal replacing a growing head), a passing state the
     * next attempt does not meet. A HEAD's answer has no body, so one S3 refuses for good is
     * bare too: it fails after the SDK's attempts, as before, a few backoffs later.
     */
    static boolean isBareBadRequest(Throwable e) {
        return e instanceof S3Exception s3e && s3e.statusCode() == 400
                && (s3e.awsErrorDetails() == null || s3e.awsErrorDetails().errorCode() == null);
    }

    private IOException failure(String request, String key, Exception e) {
        String why = e instanceof S3Exception s3e && s3e.awsErrorDetails() != null
                ? s3e.statusCode() + " " + s3e.awsErrorDetails().errorCode() : e.getMessage();
        return new IOException(where(key) + ": " + request + " failed: " + why, e);
    }

    private static String unquote(String etag) {
        if (etag == null || etag.isEmpty()) {
            return "-";
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1) : etag;
    }

    private static String quote(String etag) {
        return "\"" + etag + "\"";
    }

    @Override
    public void close() {
        s3.close();
    }

    /** An object no longer has the ETag a read required: it was replaced. */
    static final class ChangedException extends IOException {
        private static final long serialVersionUID = 1L;

        ChangedException(String location) {
            super(location + ": changed while read");
        }
    }
}
