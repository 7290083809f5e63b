package io.bucketlog.internal.format;


/**
 * A Bloom filter over keys: lets a reader skip a bucket that cannot hold a key without opening it.
 * About 10 bits and 7 probes per key, so about 1% false positives. Probes use double hashing of a
 * 64-bit hash of the key's UTF-8 bytes (FNV-1a, then MurmurHash3's finaliser to spread it).
 *
 * <p>Encoded as: u8 probes, varint word count, then that many i64 words.
 */
public final class BloomFilter {
    private static final int MAX_WORDS = 1 << 24; // 128 MiB of bits: far beyond any bucket

    private final long[] words;
    private final int probes;

    private BloomFilter(long[] words, int probes) {
        this.words = words;
        this.probes = probes;
    }

    /** An empty filter sized for {@code expectedKeys}. */
    public static BloomFilter forKeys(int expectedKeys) {
        long bits = Math.max(64, (long) expectedKeys * 10);
        int w = (int) Math.min(MAX_WORDS, (bits + 63) / 64);
        return new BloomFilter(new long[w], 7);
    }

    public void add(CharSequence key) {
        long h = hash(key);
        for (int i = 0; i < probes; i++) {
            long bit = probe(h, i);
            words[(int) (bit >>> 6)] |= 1L << bit;
        }
    }

    /** False only when {@code key} was certainly never added. */
    public boolean mightContain(String key) {
        long h = hash(key);
        for (int i = 0; i < probes; i++) {
            long bit = probe(h, i);
            if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The bit of probe {@code i}: double hashing with the two halves of the key's hash. */
    private long probe(long hash, int i) {
        int h1 = (int) hash;
        int h2 = (int) (hash >>> 32);
        return Integer.toUnsignedLong(h1 + i * h2) % ((long) words.length * 64);
    }

    public void writeTo(ByteSink out) {
        out.writeByte(probes);
        out.writeVarInt(words.length);
        for (long w : words) {
            out.writeLong(w);
        }
    }

    public static BloomFilter readFrom(ByteSource in) {
        int probes = in.readByte();
        if (probes < 1 || probes > 30) {
            throw new CorruptDataException("bloom filter probe count " + probes);
        }
        int n = in.readVarInt(Math.min(MAX_WORDS, in.remaining() / 8));
        if (n < 1) {
            throw new CorruptDataException("empty bloom filter");
        }
        long[] words = new long[n];
        for (int i = 0; i < n; i++) {
            words[i] = in.readLong();
        }
        return new BloomFilter(words, probes);
    }

    /** FNV-1a over the key's UTF-8 bytes, encoded on the fly so a lookup allocates nothing. */
    static long hash(CharSequence key) {
        long h = 0xcbf29ce484222325L;
        int n = key.length();
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (c < 0x80) {
                h = fnv(h, c);
            } else if (c < 0x800) {
                h = fnv(fnv(h, 0xC0 | (c >> 6)), 0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n
                    && Character.isLowSurrogate(key.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, key.charAt(++i));
                h = fnv(fnv(fnv(fnv(h, 0xF0 | (cp >> 18)), 0x80 | ((cp >> 12) & 0x3F)),
                        0x80 | ((cp >> 6) & 0x3F)), 0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                h = fnv(h, '?'); // as String.getBytes encodes an unpaired surrogate
            } else {
                h = fnv(fnv(fnv(h, 0xE0 | (c >> 12)), 0x80 | ((c >> 6) & 0x3F)), 0x80 | (c & 0x3F));
            }
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static long fnv(long h, int b) {
        return (h ^ (b & 0xFF)) * 0x100000001b3L;
    }
}
