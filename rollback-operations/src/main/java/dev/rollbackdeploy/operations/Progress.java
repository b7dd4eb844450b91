package dev.rollbackdeploy.operations;

/**
 * Where an operation tells a person what it is doing, one line at a time: the CLI prints it to stderr
 * with a timestamp, a Jenkins step writes it to the build log. Lines never carry secrets. Called from
 * the thread that runs the operation (and from the stopping thread during a stop).
 */
@FunctionalInterface
public interface Progress {

    void report(String line);

    /** Drops every line (tests, callers that only want the result). */
    static Progress none() {
        return line -> { };
    }
}
