package dev.rollbackdeploy.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of the fake API server that can reset connections (RST, as a load balancer or
 * a restarting API server does), which no HTTP-level mock can produce.
 */
final class ResettingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final AtomicInteger resetsLeft = new AtomicInteger();
    private final AtomicInteger resetsDone = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    ResettingProxy(int targetPort) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.acceptor = new Thread(this::acceptLoop, "resetting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Resets every open connection now, and the next {@code n} new ones once their request starts. */
    void resetNext(int n) {
        resetsLeft.set(n);
        for (Socket socket : open) {
            reset(socket);
        }
    }

    int resetsDone() {
        return resetsDone.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (resetsLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                    client.setSoTimeout(2000);
                    client.getInputStream().read(new byte[512]);
                    reset(client);
                    resetsDone.incrementAndGet();
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // listener closed, or one connection failed: the others go on
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread pump = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the other side was reset or closed
            } finally {
                reset(from);
                reset(to);
            }
        }, "resetting-proxy-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private void reset(Socket socket) {
        open.remove(socket);
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : open) {
            reset(socket);
        }
    }
}
