/**
 * The web viewer: a read-only page and JSON API over a store, started with
 * {@link io.bucketlog.viewer.ViewerServer#start(ViewerOptions)} (or {@code bucketlog serve}).
 * It reads through the reader SDK's public API only.
 */
package io.bucketlog.viewer;
