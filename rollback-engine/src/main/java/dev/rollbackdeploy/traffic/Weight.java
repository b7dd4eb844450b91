package dev.rollbackdeploy.traffic;

/** A share of traffic in whole percent, 0..100. */
public record Weight(int percent) implements Comparable<Weight> {

    public static final Weight NONE = new Weight(0);
    public static final Weight ALL = new Weight(100);

    public Weight {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("weight must be 0..100, got " + percent);
        }
    }

    public static Weight of(int percent) {
        return new Weight(percent);
    }

    /** The rest of the traffic: what the stable side gets when the canary gets this. */
    public Weight complement() {
        return new Weight(100 - percent);
    }

    @Override
    public int compareTo(Weight other) {
        return Integer.compare(percent, other.percent);
    }

    @Override
    public String toString() {
        return percent + "%";
    }
}
