package dev.rollbackdeploy.haproxy;

import java.io.IOException;

/** One HAProxy's Runtime API: one command in, the whole reply out. */
public interface RuntimeApi {

    /**
     * Sends one command and returns the full reply.
     *
     * @throws IOException naming the endpoint and the command, when it cannot connect, times out, or
     *                     the connection breaks
     */
    String send(String command) throws IOException, InterruptedException;

    /** Where it is, for messages: a socket path or host:port. */
    String endpoint();
}
