package dev.rollbackdeploy.record;

/**
 * One build of one job: the Jenkins full name ({@code folder/job}) and the build number. Written
 * {@code folder/job#42}.
 */
public record BuildRef(String job, int number) implements Comparable<BuildRef> {

    public BuildRef {
        if (job == null || job.isBlank()) {
            throw new IllegalArgumentException("build job must be a job full name like 'team/shop', got '" + job + "'");
        }
        if (!job.equals(job.strip()) || job.startsWith("/") || job.endsWith("/") || job.contains("//")
                || job.indexOf('#') >= 0 || job.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("build job must be '/'-separated names without '#', control "
                    + "characters or surrounding spaces, got '" + job + "'");
        }
        if (number < 1) {
            throw new IllegalArgumentException("build number must be 1 or more, got " + number);
        }
    }

    /** Parses {@code job#number}. */
    public static BuildRef parse(String text) {
        int hash = text == null ? -1 : text.lastIndexOf('#');
        if (hash < 0) {
            throw new IllegalArgumentException("build must be written job#number (e.g. team/shop#42), got '" + text + "'");
        }
        String digits = text.substring(hash + 1);
        if (!digits.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("build number must be digits, got '" + digits + "' in '" + text + "'");
        }
        return new BuildRef(text.substring(0, hash), Integer.parseInt(digits));
    }

    @Override
    public int compareTo(BuildRef other) {
        int byJob = job.compareTo(other.job);
        return byJob != 0 ? byJob : Integer.compare(number, other.number);
    }

    @Override
    public String toString() {
        return job + "#" + number;
    }
}
