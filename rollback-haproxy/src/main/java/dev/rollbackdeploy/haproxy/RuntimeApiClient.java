package dev.rollbackdeploy.haproxy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Runtime API over a UNIX socket ({@code /run/haproxy/admin.sock}) or TCP ({@code host:port}).
 * Non-interactive mode: HAProxy answers one command and closes, so the reply is everything up to EOF.
 * A selector enforces one deadline over connect, write and read, so a stuck HAProxy can never hang
 * the caller (blocking UNIX-socket channels have no read timeout).
 */
public final class RuntimeApiClient implements RuntimeApi {

    private static final int MAX_REPLY = 8 * 1024 * 1024;

    private final String endpoint;
    private final SocketAddress address;
    private final Duration timeout;

    /**
     * @param endpoint a socket path (starting with '/') or host:port
     */
    public RuntimeApiClient(String endpoint, Duration timeout) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("HAProxy runtime API endpoint must be a socket path or host:port, got '" + endpoint + "'");
        }
        if (endpoint.startsWith("/")) {
            this.address = UnixDomainSocketAddress.of(Path.of(endpoint));
        } else {
            int colon = endpoint.lastIndexOf(':');
            if (colon <= 0 || !endpoint.substring(colon + 1).matches("[0-9]{1,5}")) {
                throw new IllegalArgumentException("HAProxy runtime API endpoint must be a socket path or host:port, got '"
                        + endpoint + "'");
            }
            this.address = InetSocketAddress.createUnresolved(endpoint.substring(0, colon),
                    Integer.parseInt(endpoint.substring(colon + 1)));
        }
    }

    /**
     * The client for a recorded endpoint: {@code unix:///run/haproxy/admin.sock} or {@code tcp://host:port}.
     *
     * @throws IllegalArgumentException naming the endpoint when it is neither
     */
    public static RuntimeApiClient forEndpoint(java.net.URI endpoint, Duration timeout) {
        String scheme = endpoint == null ? null : endpoint.getScheme();
        if ("unix".equals(scheme) && endpoint.getPath() != null && endpoint.getPath().startsWith("/")) {
            return new RuntimeApiClient(endpoint.getPath(), timeout);
        }
        if ("tcp".equals(scheme) && endpoint.getHost() != null && endpoint.getPort() > 0) {
            return new RuntimeApiClient(endpoint.getHost() + ":" + endpoint.getPort(), timeout);
        }
        throw new IllegalArgumentException("HAProxy endpoint must be unix:///path/to/admin.sock or tcp://host:port, got '"
                + endpoint + "'");
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public String send(String command) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        SocketAddress target = address instanceof InetSocketAddress inet
                ? new InetSocketAddress(inet.getHostString(), inet.getPort()) : address;
        try (SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
                Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            if (!channel.connect(target)) {
                await(channel, selector, SelectionKey.OP_CONNECT, deadline, command);
                channel.finishConnect();
            }
            ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    await(channel, selector, SelectionKey.OP_WRITE, deadline, command);
                }
            }
            return readToEnd(channel, selector, deadline, command);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("HAProxy runtime API at " + endpoint + " failed on '" + command + "': " + e.getMessage(), e);
        }
    }

    private String readToEnd(SocketChannel channel, Selector selector, long deadline, String command)
            throws IOException, InterruptedException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        java.io.ByteArrayOutputStream reply = new java.io.ByteArrayOutputStream();
        while (true) {
            int read = channel.read(buffer);
            if (read < 0) {
                return reply.toString(StandardCharsets.UTF_8);
            }
            if (read == 0) {
                await(channel, selector, SelectionKey.OP_READ, deadline, command);
                continue;
            }
            reply.write(buffer.array(), 0, buffer.position());
            buffer.clear();
            if (reply.size() > MAX_REPLY) {
                throw new IOException("reply over " + MAX_REPLY + " bytes");
            }
        }
    }

    private void await(SocketChannel channel, Selector selector, int op, long deadline, String command)
            throws IOException, InterruptedException {
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new InterruptedException("interrupted while talking to HAProxy at " + endpoint);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new IOException("no answer within " + timeout.toMillis() + " ms");
        }
        SelectionKey key = channel.register(selector, op);
        selector.select(Math.max(1, left / 1_000_000));
        key.cancel();
        selector.selectNow();
        if (System.nanoTime() - deadline > 0) {
            throw new IOException("no answer within " + timeout.toMillis() + " ms");
        }
    }
}
