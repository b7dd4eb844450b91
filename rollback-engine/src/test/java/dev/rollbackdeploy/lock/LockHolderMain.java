package dev.rollbackdeploy.lock;

import java.nio.file.Path;
import java.time.Duration;

/** A separate process that takes a target's lock, says so, and holds it until killed. */
public final class LockHolderMain {

    private LockHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        TargetLock.Held held = new FileTargetLock(Path.of(args[0])).acquire(args[1], args[2], Duration.ZERO);
        System.out.println("held " + held.info());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
