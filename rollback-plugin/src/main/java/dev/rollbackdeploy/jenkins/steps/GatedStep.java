package dev.rollbackdeploy.jenkins.steps;

import dev.rollbackdeploy.operations.SpecBuilder;
import hudson.Util;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The fields {@code canaryDeploy}, {@code metricsGate} and {@code rollbackDrill} share: which configured
 * target and Prometheus, and the deployment spec's optional fields, kept as the user wrote them. They
 * are handed to the front door's {@link SpecBuilder} unchanged, which validates them all at once: no
 * default or check is repeated here. Serializable because the executions keep their step.
 */
public abstract class GatedStep extends Step implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String target;
    private final String prometheus;
    private String build;
    private String strategy;
    private String steps;
    private String scaleDownDelay;
    private Double healthyErrorRate;
    private Double minimumEffect;
    private String interval;
    private String maxDuration;
    private Double maxErrorRate;
    private Long minRequests;

    protected GatedStep(String target, String prometheus) {
        this.target = Util.fixEmptyAndTrim(target);
        this.prometheus = Util.fixEmptyAndTrim(prometheus);
    }

    public String getTarget() { return target; }
    public String getPrometheus() { return prometheus; }
    public String getBuild() { return build; }
    public String getStrategy() { return strategy; }
    public String getSteps() { return steps; }
    public String getScaleDownDelay() { return scaleDownDelay; }
    public Double getHealthyErrorRate() { return healthyErrorRate; }
    public Double getMinimumEffect() { return minimumEffect; }
    public String getInterval() { return interval; }
    public String getMaxDuration() { return maxDuration; }
    public Double getMaxErrorRate() { return maxErrorRate; }
    public Long getMinRequests() { return minRequests; }

    /** Overrides {@code job#number} of the running build, e.g. to deploy an artifact built elsewhere. */
    @DataBoundSetter public void setBuild(String value) { build = Util.fixEmptyAndTrim(value); }
    @DataBoundSetter public void setStrategy(String value) { strategy = Util.fixEmptyAndTrim(value); }
    /** The canary's share after each step, e.g. {@code 10, 25, 50, 100}. */
    @DataBoundSetter public void setSteps(String value) { steps = Util.fixEmptyAndTrim(value); }
    @DataBoundSetter public void setScaleDownDelay(String value) { scaleDownDelay = Util.fixEmptyAndTrim(value); }
    @DataBoundSetter public void setHealthyErrorRate(Double value) { healthyErrorRate = value; }
    @DataBoundSetter public void setMinimumEffect(Double value) { minimumEffect = value; }
    @DataBoundSetter public void setInterval(String value) { interval = Util.fixEmptyAndTrim(value); }
    @DataBoundSetter public void setMaxDuration(String value) { maxDuration = Util.fixEmptyAndTrim(value); }
    @DataBoundSetter public void setMaxErrorRate(Double value) { maxErrorRate = value; }
    @DataBoundSetter public void setMinRequests(Long value) { minRequests = value; }

    /** Hands the fields the user set to the front door; unset ones stay unset (its defaults apply). */
    void applyTo(SpecBuilder builder) {
        builder.strategy(strategy).scaleDownDelay(scaleDownDelay).healthyErrorRate(healthyErrorRate)
                .minimumEffect(minimumEffect).interval(interval).maxDuration(maxDuration).maxErrorRate(maxErrorRate)
                .minRequests(minRequests);
        if (steps != null) {
            List<Object> shares = new ArrayList<>();
            for (String share : steps.split("[,\\s]+")) {
                if (!share.isEmpty()) {
                    shares.add(share.matches("-?\\d{1,9}") ? Integer.valueOf(share) : share);
                }
            }
            builder.steps(shares);
        }
    }
}
