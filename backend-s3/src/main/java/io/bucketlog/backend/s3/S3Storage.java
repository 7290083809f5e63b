package io.bucketlog.backend.s3;

import io.bucketlog.spi.AppendableObject;
import io.bucketlog.spi.NoSuchObjectException;
import io.bucketlog.spi.ObjectExistsException;
import io.bucketlog.spi.ObjectVersion;
import io.bucketlog.spi.ReadableObject;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * A {@link Storage} in an S3 bucket under a key prefix (AWS S3, MinIO, Ceph RGW, any S3 API);
 * see the package documentation for how names, growing objects and the spool are kept.
 */
public final class S3Storage implements Storage {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int CREATE_ATTEMPTS = 5;

    private final S3Location location;
    private final S3Options options;
    private final BucketClient client;
    private final ObjectLayout layout;
    private final Spool spool;
    private final Publisher publisher;
    private final AtomicBoolean closed = new AtomicBoolean();

    private S3Storage(S3Location location, S3Options options, BucketClient client, Spool spool) {
        this.location = location;
        this.options = options;
        this.client = client;
        this.layout = new ObjectLayout(location);
        this.spool = spool;
        this.publisher = new Publisher(client, layout, options, spool);
    }

    /**
     * Opens the storage at {@code location} (which must exist: buckets are made by their
     * owners, never by this backend) and, in the background, uploads what dead writers of this
     * location on this host left in the spool.
     */
    public static S3Storage open(S3Location location, S3Options options) throws IOException {
        BucketClient client = new BucketClient(client(options), location.bucket());
        try {
            client.checkBucket();
            String spoolId = options.endpoint().map(Object::toString).orElse("aws") + "|" + location;
            Spool spool = Spool.open(options.spoolDirectory(), spoolId, options.spoolLimitBytes());
            S3Storage storage = new S3Storage(location, options, client, spool);
            storage.publisher.recoverLater();
            return storage;
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static S3Client client(S3Options options) throws IOException {
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(options.requestTimeout())
                        .socketTimeout(options.requestTimeout()))
                .region(region(options))
                .credentialsProvider(credentials(options))
                .forcePathStyle(options.pathStyle())
                // checksums only where S3 requires them: S3-compatible stores do not all accept
                // the trailing checksums the SDK sends by default
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(options.requestTimeout())
                        .retryStrategy(r -> r.retryOnException(BucketClient::isBareBadRequest)));
        options.endpoint().ifPresent(b::endpointOverride);
        return b.build();
    }

    private static Region region(S3Options options) throws IOException {
        if (options.region().isPresent()) {
            return Region.of(options.region().get());
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            if (options.endpoint().isPresent()) {
                return Region.US_EAST_1; // what MinIO and Ceph answer to unless configured otherwise
            }
            throw new IOException("no AWS region: set the region option, aws.region or AWS_REGION", e);
        }
    }

    private static AwsCredentialsProvider credentials(S3Options options) {
        if (options.credentials().isPresent()) {
            S3Credentials c = options.credentials().get();
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey()));
        }
        if (options.profile().isPresent()) {
            return ProfileCredentialsProvider.builder().profileName(options.profile().get()).build();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public String location() {
        return location.toString();
    }

    @Override
    public String locationOf(String name) {
        return location + "/" + name;
    }

    /** The publisher's interval: appends reach other hosts within about this long. */
    @Override
    public Duration publishInterval() {
        return options.publishInterval();
    }

    /** The options it was opened with (credentials print without their secret). */
    public S3Options options() {
        return options;
    }

    /** Failed attempts to publish so far (each retried; also told to the error listener). */
    public long publishFailures() {
        return publisher.failures();
    }

    /** Parts uploaded so far by this storage's publisher. */
    public long partsUploaded() {
        return publisher.partsUploaded();
    }

    /** Bytes spooled and not yet uploaded and removed. */
    public long spooledBytes() {
        return spool.used();
    }

    /**
     * Requests this storage made to the store so far, in the classes S3 bills them by: PUT (with
     * multipart uploads' POSTs), GET (with HEAD), LIST (one per page) and DELETE (free on AWS).
     * A request the SDK retried counts once.
     */
    public record Requests(long puts, long gets, long lists, long deletes) {
    }

    /** The requests made so far. */
    public Requests requests() {
        return client.requests();
    }

    /** What {@link #recover()} uploaded. */
    public record Recovery(int writers, int objects, long bytes, int failed) {
    }

    /**
     * Uploads now what dead writers of this location left in this host's spool (opening does it
     * in the background): a data bucket's blocks that the store lacks as a bucket of their own
     * beside it (never into it: a brigade may have merged it meanwhile), also when it was sealed
     * in the spool but not uploaded whole (its unpublished "sealed" index entry is then left out),
     * the rest of other growing objects as parts, their sealed objects whole; what is already in
     * the store is recognised, never uploaded twice. A writer whose objects could not all be
     * uploaded stays in the spool for the next try.
     */
    public Recovery recover() throws IOException {
        Publisher.Recovered r = publisher.recover();
        return new Recovery(r.writers(), r.objects(), r.bytes(), r.failed());
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        ObjectNames.checkPrefix(prefix);
        String keyPrefix = location.keyPrefix(prefix);
        BucketClient.Children c = client.children(keyPrefix);
        List<String> out = new ArrayList<>();
        for (String key : c.keys()) {
            String last = key.substring(keyPrefix.length());
            if (!last.isEmpty() && !last.startsWith(".")) {
                out.add(last);
            }
        }
        for (String p : c.prefixes()) {
            String last = p.substring(keyPrefix.length());
            if (last.length() > 1 && !last.startsWith(".")) {
                out.add(last);
            }
        }
        return out;
    }

    @Override
    public Optional<ObjectVersion> stat(String name) throws IOException {
        ObjectNames.checkName(name);
        return ObjectState.look(client, layout, name).map(ObjectState::version);
    }

    /**
     * The head's {@code Last-Modified}, or a growing object's newest part's, moved to this host's
     * clock by the store's {@code Date} (see {@code BucketClient.local}).
     */
    @Override
    public Optional<Instant> lastModified(String name) throws IOException {
        ObjectNames.checkName(name);
        return ObjectState.look(client, layout, name).map(ObjectState::lastModified);
    }

    @Override
    public ReadableObject openRead(String name) throws IOException {
        ObjectNames.checkName(name);
        ObjectState state = ObjectState.look(client, layout, name)
                .orElseThrow(() -> new NoSuchObjectException(locationOf(name)));
        return new S3ReadableObject(client, layout, state);
    }

    @Override
    public boolean putIfAbsent(String name, byte[] content) throws IOException {
        ObjectNames.checkName(name);
        return createOnce(name, content, Map.of());
    }

    /**
     * A PUT with {@code If-None-Match: *}, tried again on transient errors. Each call marks its
     * object with a random token, so a 412 after an attempt whose answer was lost (the SDK's
     * retry or this loop's) is told apart from another creator's object by the token, not the
     * bytes: two racers may well create the same bytes, and only one of them won. When no
     * attempt's outcome could be learnt, the result is an error, never a guessed win.
     */
    private boolean createOnce(String name, byte[] content, Map<String, String> metadata) throws IOException {
        String key = layout.headKey(name);
        String token = randomId();
        Map<String, String> meta = new HashMap<>(metadata);
        meta.put(BucketClient.TOKEN, token);
        IOException last = null;
        for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
            try {
                if (client.putIfNoneMatch(key, RequestBody.fromBytes(content), meta)) {
                    return true;
                }
                Optional<BucketClient.Head> there = client.head(key);
                return there.isPresent() && token.equals(there.get().metadata().get(BucketClient.TOKEN));
            } catch (IOException e) {
                if (!BucketClient.isTransient(e)) {
                    throw e;
                }
                last = e;
                pause(100L << attempt);
            }
        }
        throw new IOException(locationOf(name) + ": outcome of the create unknown after " + CREATE_ATTEMPTS
                + " attempts", last);
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String randomId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public AppendableObject create(String name) throws IOException {
        ObjectNames.checkName(name);
        String incarnation = randomId();
        if (!createOnce(name, new byte[0], Map.of(BucketClient.GROWING, incarnation))) {
            throw new ObjectExistsException(locationOf(name));
        }
        SpoolEntry entry = SpoolEntry.create(spool.dir(), name, incarnation, 0);
        publisher.add(entry);
        return new S3AppendableObject(entry, spool, publisher, options, locationOf(name));
    }

    @Override
    public AppendableObject reopen(String name, long expectedSize) throws IOException {
        ObjectNames.checkName(name);
        SpoolEntry closed = publisher.closedEntry(name);
        if (closed != null && closed.reattach()) {
            if (closed.size() != expectedSize) {
                closed.markHandleClosed();
                throw new IOException(locationOf(name) + ": has " + closed.size() + " bytes, not " + expectedSize
                        + "; not reopened");
            }
            return new S3AppendableObject(closed, spool, publisher, options, locationOf(name));
        }
        ObjectState state = ObjectState.look(client, layout, name)
                .orElseThrow(() -> new NoSuchObjectException(locationOf(name)));
        if (!state.growing()) {
            throw new IOException(locationOf(name) + ": sealed, not reopened");
        }
        if (state.size() != expectedSize) {
            throw new IOException(locationOf(name) + ": has " + state.size() + " bytes, not " + expectedSize
                    + "; not reopened");
        }
        // the spool holds a growing object from its first byte, for its seal to upload it whole
        spool.reserve(expectedSize);
        SpoolEntry entry;
        try {
            entry = SpoolEntry.create(spool.dir(), name, state.incarnation(), expectedSize);
        } catch (IOException | RuntimeException e) {
            spool.release(expectedSize);
            throw e;
        }
        try (ReadableObject in = new S3ReadableObject(client, layout, state)) {
            byte[] chunk = new byte[1 << 20];
            for (long at = 0; at < expectedSize; ) {
                int n = in.read(at, chunk, 0, (int) Math.min(chunk.length, expectedSize - at));
                if (n <= 0) {
                    throw new IOException(locationOf(name) + ": shorter than its listed parts");
                }
                entry.prefill(chunk, n);
                at += n;
            }
        } catch (IOException | RuntimeException e) {
            entry.markHandleClosed();
            entry.delete();
            spool.release(expectedSize);
            throw e;
        }
        publisher.add(entry);
        return new S3AppendableObject(entry, spool, publisher, options, locationOf(name));
    }

    @Override
    public boolean delete(String name) throws IOException {
        ObjectNames.checkName(name);
        String key = layout.headKey(name);
        if (client.head(key).isEmpty()) {
            return false;
        }
        // the head first, so the name is gone at once; parts left by a failure below, or
        // uploaded later by a writer still publishing, belong to an incarnation no later object
        // of this name has, and are never listed
        client.delete(key);
        client.deletePrefix(layout.allPartsPrefix(name));
        return true;
    }

    /**
     * Publishes what its writers appended (for up to the sync timeout), then releases the
     * client, the publisher thread and the spool's lock; what could not be uploaded stays in the
     * spool for the next open on this host. Closing again does nothing.
     */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            publisher.close();
        } finally {
            try {
                spool.close();
            } finally {
                client.close();
            }
        }
    }

    @Override
    public String toString() {
        return "S3Storage[" + location + ", " + options.endpoint().map(Object::toString).orElse("AWS") + "]";
    }
}
