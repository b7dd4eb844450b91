package dev.rollbackdeploy.operations;

import java.util.List;

/** A deployment spec with one or more problems, all of them found before anything was locked or written. */
public final class InvalidSpecException extends OperationException {
    private static final long serialVersionUID = 1L;

    private final transient List<SpecProblem> problems;

    public InvalidSpecException(String source, List<SpecProblem> problems) {
        super(Kind.INVALID, message(source, problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in the order of the spec's fields. */
    public List<SpecProblem> problems() {
        return problems;
    }

    private static String message(String source, List<SpecProblem> problems) {
        if (problems.size() == 1) {
            return source + ": " + problems.get(0).message();
        }
        StringBuilder text = new StringBuilder(source).append(" has ").append(problems.size()).append(" problems:");
        problems.forEach(p -> text.append("\n  ").append(p.message()));
        return text.toString();
    }
}
