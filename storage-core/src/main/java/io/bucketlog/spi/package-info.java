/**
 * The storage SPI: the few operations the engine needs from where a store's bytes live, in the
 * spirit of Lucene's {@code Directory}. A backend is one implementation of {@link Storage} plus a
 * {@link StorageProvider} found by {@link java.util.ServiceLoader}; nothing else in the engine
 * changes for a new backend.
 *
 * <h2>Names</h2>
 * A storage holds objects under names relative to its root: non-empty segments of
 * {@code [A-Za-z0-9._-]} joined by {@code /}, never starting with {@code .} except the temporary
 * objects a backend keeps to itself (which it never lists). The engine's layout
 * ({@code stream/window/file}) is the only user; a backend maps names to files, keys or rows as
 * it likes, and {@link Storage#locationOf} says where a name lives, for messages. Every operation
 * refuses a name of another form (empty, absolute, {@code ..}, an empty segment, a segment
 * starting with {@code .}, any other character), and {@link Storage#list} a prefix that is not
 * {@code ""} or such a name followed by {@code /}, with {@link IllegalArgumentException}
 * before it touches the storage. The backend contract suite
 * ({@code io.bucketlog.spi.StorageContractTest} in storage-core's test-jar) checks every
 * contract of this package; every backend runs it.
 *
 * <h2>What the engine relies on</h2>
 * <ul>
 *   <li><b>Nothing is overwritten.</b> Objects are created once ({@link Storage#create},
 *       {@link Storage#putIfAbsent}), may grow by appends from their one creator, and are
 *       deleted. No operation replaces an object's bytes, so a reader never needs a lock.</li>
 *   <li><b>Atomic create.</b> {@link Storage#putIfAbsent} is the only coordination primitive:
 *       the stream catalog, the brigade's claims and its commits are all "first creator wins".</li>
 *   <li><b>Growing objects.</b> A reader may read an object while its writer appends; it sees a
 *       prefix of what was appended, possibly ending in a torn append, which the formats detect.
 *       A backend that cannot append (an object store) publishes each appended range as an
 *       immutable part and presents the object as the concatenation of its parts: see
 *       {@link AppendableObject}.</li>
 * </ul>
 */
package io.bucketlog.spi;
