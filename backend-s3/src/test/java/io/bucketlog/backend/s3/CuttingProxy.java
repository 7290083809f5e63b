package io.bucketlog.backend.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of the S3 server that the tests use to cut connections:
 * {@link #cutAll()} resets every open connection at once (mid-request or mid-response), and
 * {@link #loseResponses(int)} forwards the next requests whole to the server but resets the
 * client's connection instead of passing the server's answer on: the request took effect, and
 * the client cannot know. (An answer arriving in several reads may be cut after its first.)
 * {@link #down(boolean)} stands for a store that cannot be reached: every connection is reset,
 * now and until it is up again.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger responsesToLose = new AtomicInteger();
    private final AtomicLong cut = new AtomicLong();
    private volatile boolean closed;
    private volatile boolean down;

    CuttingProxy(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "cutting-proxy");
        t.setDaemon(true);
        t.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** Connections cut so far. */
    long cut() {
        return cut.get();
    }

    /** Resets every connection open now. */
    void cutAll() {
        for (Socket s : open) {
            reset(s);
        }
    }

    /** Resets every connection, and every new one while {@code down}; {@code false} lets them through again. */
    void down(boolean down) {
        this.down = down;
        if (down) {
            cutAll();
        }
    }

    /** The next {@code n} answers from the server (on any connection) are lost. */
    void loseResponses(int n) {
        responsesToLose.set(n);
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (down) {
                reset(client);
                continue;
            }
            try {
                Socket server = new Socket(target.getAddress(), target.getPort());
                open.add(client);
                open.add(server);
                pump(client, server, false, client, server);
                pump(server, client, true, client, server);
            } catch (IOException e) {
                reset(client); // the server is down: the client sees its connection refused or reset
            }
        }
    }

    private void pump(Socket from, Socket to, boolean responses, Socket client, Socket server) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (responses && responsesToLose.getAndUpdate(k -> Math.max(0, k - 1)) > 0) {
                        reset(client); // the server answered; the client never hears it
                        reset(server);
                        return;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
                to.shutdownOutput();
            } catch (IOException e) {
                reset(client);
                reset(server);
            }
        }, "cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void reset(Socket s) {
        if (open.remove(s)) {
            cut.incrementAndGet();
        }
        try {
            s.setSoLinger(true, 0); // close with RST, as a broken network does
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        cutAll();
    }
}
