package dev.rollbackdeploy.haproxy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Wraps a RuntimeApi, remembering every command; its target can be swapped (an HAProxy restart). */
class CountingApi implements RuntimeApi {

    final List<String> commands = new ArrayList<>();
    RuntimeApi target;

    CountingApi(RuntimeApi target) {
        this.target = target;
    }

    @Override
    public synchronized String send(String command) throws IOException, InterruptedException {
        commands.add(command);
        return target.send(command);
    }

    @Override
    public String endpoint() {
        return target.endpoint();
    }

    long writes() {
        return commands.stream().filter(c -> c.startsWith("set ")).count();
    }
}
