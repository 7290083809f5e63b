/**
 * The object-store backend: a {@link io.bucketlog.spi.Storage} in an S3 bucket (AWS S3, MinIO,
 * Ceph RGW, any S3 API), opened from {@code s3://bucket/prefix} locations by
 * {@link io.bucketlog.backend.s3.S3StorageProvider} or with
 * {@link io.bucketlog.backend.s3.S3Storage#open} and {@link io.bucketlog.backend.s3.S3Options}.
 *
 * <h2>Names and reads</h2>
 * A name is the key {@code prefix/name}. {@code list} is a LIST with the delimiter {@code /},
 * {@code stat} a HEAD (the ETag is the generation), reads are ranged GETs with {@code If-Match}
 * on the ETag. Readers cache nothing they cannot validate: a whole object's ETag, or a growing
 * object's parts, which are immutable under their keys.
 *
 * <h2>Atomic create</h2>
 * {@code putIfAbsent} and {@code create} are PUTs with {@code If-None-Match: *}: 412 means
 * someone else has the name. Transient errors are tried again; each call marks its object with
 * a random token (user metadata), so a 412 answering its own retried PUT (whose first answer
 * was lost) is recognised by the token and reported as the win it was. Comparing content
 * instead would give two racers with equal bytes both a win. When no attempt's outcome can be
 * learnt the call fails; it never reports a win it cannot prove.
 *
 * <h2>Growing objects</h2>
 * S3 cannot append. {@code create} puts an empty <em>head</em> object carrying a random
 * incarnation in its metadata; appends go to a local spool file and return without waiting on
 * the network; a background publisher (one thread per storage, every
 * {@link io.bucketlog.backend.s3.S3Options#publishInterval()}, default 1 s, and at once on
 * {@code publish}, {@code sync} and {@code seal}) uploads each unpublished range as one
 * immutable part {@code .NAME.parts/INC/OFFSET} beside it (see {@code ObjectLayout}). Readers
 * present the head's parts, in offset order and without gaps, as the object, so another host
 * sees a prefix of what was appended within about the interval; listings hide the parts (their
 * segment starts with {@code .}, which no name may). {@code seal} replaces the head by the whole
 * object (a multipart upload beyond {@link io.bucketlog.backend.s3.S3Options#partBytes()}) and
 * deletes the parts after {@link io.bucketlog.backend.s3.S3Options#partsGrace()}; a reader in
 * the middle of them reads on from the whole object, whose bytes are the same.
 *
 * <p><b>Durability.</b> {@code sync} waits until everything appended before it is uploaded:
 * that is what durability {@code sync} means here (a part acknowledged by S3 is stored
 * redundantly). Without it, what is spooled survives a killed process (the spool is on local
 * disk and recovered) but not the loss of the host's disk before the next publish.
 *
 * <p><b>Faults.</b> A failed upload is reported to the error listener given at open, counted
 * ({@link io.bucketlog.backend.s3.S3Storage#publishFailures()}), and tried again with backoff
 * (100 ms doubling to 5 s); appends keep spooling meanwhile, up to the spool's limit, beyond which
 * an append fails whole with {@link io.bucketlog.spi.SpoolFullException}.
 *
 * <h2>The spool and crash recovery</h2>
 * Each writer process has a directory {@code spool/LOCATION-HASH/PID-RANDOM/} holding a
 * {@code lock} file it keeps locked, and per growing object its bytes ({@code .data}) and a
 * record of what is published ({@code .state}, replaced atomically by rename after each
 * upload). The lock dies with the process, even by SIGKILL; opening the backend again on that
 * host (or {@link io.bucketlog.backend.s3.S3Storage#recover()}) takes the locks of dead writers'
 * directories and uploads what they left. A record one upload behind the store (killed between
 * the upload and the record) causes no duplicate: parts are created with {@code If-None-Match},
 * and a part found already there is compared with the spool's bytes and counted as published.
 * A dead writer's data bucket gets no more parts: the whole blocks the store lacks become a
 * bucket of their own beside it ({@code LeftoverBucket}), because a brigade may have merged the
 * original as abandoned, and whatever were appended to it then would never be read. A bucket it
 * had sealed in its spool and not uploaded whole is no different in the store, and is recovered
 * the same way; its index's "sealed" entry, if not yet published, is left out
 * ({@code WithdrawnSeals}, in the order {@code SpoolRecovery} keeps).
 */
package io.bucketlog.backend.s3;
