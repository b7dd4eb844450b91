package dev.rollbackdeploy.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.drill.DrillEnvironment;
import dev.rollbackdeploy.drill.SampleService;
import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.haproxy.HAProxyCluster;
import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.haproxy.RuntimeApiClient;
import dev.rollbackdeploy.jenkins.config.HAProxyTargetConfig;
import dev.rollbackdeploy.jenkins.config.PrometheusEndpoint;
import dev.rollbackdeploy.jenkins.config.RollbackConfiguration;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.StrategyKind;
import dev.rollbackdeploy.record.StrategySpec;
import dev.rollbackdeploy.record.Target;
import dev.rollbackdeploy.traffic.Weight;
import dev.rollbackdeploy.vm.VmRecords;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestExtension;
import org.kohsuke.stapler.DataBoundConstructor;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * Harness, not part of the suite (the name does not match surefire's includes): how long each of our steps'
 * {@code start()}, {@code onResume()} and {@code stop()} keeps the thread Pipeline calls it on — the CPS VM
 * thread, which runs every Pipeline of the controller — in a JenkinsRule Jenkins against a real HAProxy and
 * Prometheus (the local drill's environment). Each step runs wrapped in {@link TimedStep}, which times the
 * real step's calls (wall and thread CPU time) and notes the thread. A controller restart (JenkinsSession)
 * in the middle of waiting steps gives the {@code onResume()} samples; stopping them afterwards the
 * {@code stop()} samples. Prints the figures, the size of a waiting canaryDeploy build's program.dat, and
 * the command; asserts only that every call was sampled, every start() on the CPS VM thread (no time is
 * asserted). The table's "on CPS VM thread" column says where each call ran.
 * <pre>
 * mvn -B -ntp -pl rollback-plugin -am test -Dtest=CpsThreadTimeBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class CpsThreadTimeBenchmark {

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    private static DrillEnvironment env;

    @Test
    void printsTheTimeEachStepSpendsOnTheCpsVmThread() throws Throwable {
        env = DrillEnvironment.start("v1", "v2", 100, line -> System.out.println("[env] " + line));
        long[] programDat = new long[1];
        try {
            sessions.then(j -> {
                configure();
                TimedStep.STEPS.put("deploy", gated(new CanaryDeployStep("shop-vms", "local"), "10, 100", "1s", "60s"));
                TimedStep.STEPS.put("restore", new RollbackToStep("deploy#1"));
                MetricsGateStep gate = gated(new MetricsGateStep("shop-vms", "local"), null, "1s", "5s");
                gate.setFailOnRollback(false);
                TimedStep.STEPS.put("gate", gate);
                RollbackDrillStep drill = gated(new RollbackDrillStep("staging-vms", "local"), "10, 50, 100", "1s", "60s");
                drill.setSloSeconds(60);
                TimedStep.STEPS.put("drill", drill);

                // one deploy and one drill per build: a build's record is written once
                run(j, "deploy", "timed 'deploy'", 4);
                run(j, "restore", "for (int i = 0; i < 20; i++) { timed 'restore' }", 1);
                run(j, "gate", "def b = [:]\nfor (int i = 0; i < 20; i++) { b[\"g${i}\"] = { timed 'gate' } }\nparallel b", 1);
                stagingBaseline();
                env.stableInstances().forEach(s -> s.inject(new SampleService.Fault(0.01, Duration.ZERO)));
                env.candidate().inject(new SampleService.Fault(0.3, Duration.ZERO));
                run(j, "drill", "timed 'drill'", 3);
                env.stableInstances().forEach(s -> s.inject(SampleService.Fault.NONE));
                env.candidate().inject(SampleService.Fault.NONE);

                // steps waiting when the controller stops: their onResume() after the restart
                router().setCanaryWeight(Weight.NONE);
                MetricsGateStep longGate = gated(new MetricsGateStep("shop-vms", "local"), null, "5s", "5m");
                longGate.setFailOnRollback(false);
                TimedStep.STEPS.put("gate-waiting", longGate);
                TimedStep.STEPS.put("deploy-waiting", gated(new CanaryDeployStep("shop-vms", "local"), "10, 100", "5s", "5m"));
                WorkflowRun gates = start(j, "resume-gates",
                        "def b = [:]\nfor (int i = 0; i < 10; i++) { b[\"g${i}\"] = { timed 'gate-waiting' } }\nparallel b");
                WorkflowRun deploy = start(j, "resume-deploy", "timed 'deploy-waiting'");
                j.waitForMessage("canary weight 10% (canary share 10%) confirmed", deploy);
                await(() -> CpsThreadSamples.of("gate-waiting", "start").size() == 10);
                Thread.sleep(2000); // a CPS chunk ends with saving program.dat
                programDat[0] = Files.size(deploy.getRootDir().toPath().resolve("program.dat"));
                assertThat(gates.isBuilding()).isTrue();
            });
            sessions.then(j -> {
                await(() -> CpsThreadSamples.of("gate-waiting", "onResume").size() == 10
                        && CpsThreadSamples.of("deploy-waiting", "onResume").size() == 1);
                for (String name : List.of("resume-gates", "resume-deploy")) {
                    WorkflowRun build = j.jenkins.getItemByFullName(name, WorkflowJob.class).getBuildByNumber(1);
                    build.doStop();
                    j.waitForCompletion(build);
                }
            });
        } finally {
            env.close();
        }
        String figures = CpsThreadSamples.table();
        System.out.println("\nTime our step code keeps the thread Pipeline calls it on (" + Runtime.getRuntime().availableProcessors()
                + " cores, load average " + java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()
                + "):\n" + figures + "\nprogram.dat of a build whose one canaryDeploy waits in a gate: " + programDat[0] + " bytes"
                + "\ncommand: mvn -B -ntp -pl rollback-plugin -am test -Dtest=CpsThreadTimeBenchmark -Dsurefire.failIfNoSpecifiedTests=false\n");
        for (String step : List.of("deploy", "restore", "gate", "drill", "gate-waiting", "deploy-waiting")) {
            assertThat(CpsThreadSamples.of(step, "start")).as(step).isNotEmpty().allMatch(CpsThreadSamples.Sample::onCpsVmThread);
        }
        // workflow-api calls onResume() from a pooled thread after the restart (seen here), not the CPS VM thread
        assertThat(CpsThreadSamples.of("gate-waiting", "onResume")).hasSize(10);
        assertThat(CpsThreadSamples.of("deploy-waiting", "onResume")).hasSize(1);
        assertThat(programDat[0]).isPositive();
    }

    private static <T extends GatedStep> T gated(T step, String steps, String interval, String maxDuration) {
        step.setSteps(steps);
        step.setInterval(interval);
        step.setMaxDuration(maxDuration);
        return step;
    }

    private static void configure() {
        PrometheusEndpoint prometheus = new PrometheusEndpoint("local", env.prometheus().baseUrl().toString());
        prometheus.setScrapeIntervalSeconds(1);
        RollbackConfiguration config = RollbackConfiguration.get();
        config.setPrometheusEndpoints(List.of(prometheus));
        config.setHaproxyTargets(List.of("shop-vms", "staging-vms").stream().map(name -> new HAProxyTargetConfig(name,
                env.haproxy().adminSocket().toString(), LocalHAProxy.BACKEND, "stable1, stable2", "canary1")).toList());
    }

    private static HAProxyTrafficRouter router() {
        return new HAProxyTrafficRouter(new HAProxyBackend(LocalHAProxy.BACKEND, DrillEnvironment.STABLE_SERVERS,
                DrillEnvironment.CANARY_SERVERS), List.of(new RuntimeApiClient(env.haproxy().adminSocket().toString(),
                Duration.ofSeconds(2))));
    }

    /** The promoted split a drill compares with (all on stable), as `rollback record` would store it. */
    private static void stagingBaseline() throws Exception {
        router().setCanaryWeight(Weight.NONE);
        new FileRecordStore(dev.rollbackdeploy.jenkins.ui.ControllerRecords.storeDir()).save(VmRecords.baseline(
                BuildRef.parse("staging#7"), URI.create("https://ci.example.com/job/staging/7/"), "harness",
                new Target.HAProxy("staging-vms", List.of(VmRecords.endpoint(env.haproxy().adminSocket().toString())),
                        LocalHAProxy.BACKEND, "local-sockets"), new StrategySpec(StrategyKind.CANARY, Map.of()),
                new HAProxyCluster(router()).observe().objects(), Instant.now()));
    }

    private static WorkflowRun start(JenkinsRule j, String name, String script) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, name);
        job.setDefinition(new CpsFlowDefinition(script, true));
        return job.scheduleBuild2(0).waitForStart();
    }

    /** Runs {@code builds} builds of a new job, one after the other; each must succeed. */
    private static void run(JenkinsRule j, String name, String script, int builds) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, name);
        job.setDefinition(new CpsFlowDefinition(script, true));
        for (int i = 0; i < builds; i++) {
            WorkflowRun build = j.waitForCompletion(job.scheduleBuild2(0).waitForStart());
            System.out.println(name + " #" + build.getNumber() + ": " + build.getResult());
            assertThat(build.getResult()).as(JenkinsRule.getLog(build)).isEqualTo(hudson.model.Result.SUCCESS);
        }
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (!condition.call()) {
            assertThat(Instant.now()).as("waited 3 minutes").isBefore(deadline);
            Thread.sleep(100);
        }
    }

    /**
     * {@code timed 'key'}: runs the step registered under {@code key} exactly as Pipeline would (the same
     * context), timing its {@code Step.start} + {@code StepExecution.start()}, {@code onResume()} and
     * {@code stop()} on whatever thread calls them.
     */
    public static final class TimedStep extends Step {

        static final Map<String, Step> STEPS = new java.util.concurrent.ConcurrentHashMap<>();
        private final String key;

        @DataBoundConstructor
        public TimedStep(String key) {
            this.key = key;
        }

        public String getKey() {
            return key;
        }

        @Override
        public StepExecution start(StepContext context) {
            return new Timed(context, key);
        }

        @TestExtension
        public static final class DescriptorImpl extends StepDescriptor {
            @Override
            public String getFunctionName() {
                return "timed";
            }

            @Override
            public java.util.Set<? extends Class<?>> getRequiredContext() {
                return java.util.Set.of(hudson.model.Run.class, hudson.model.TaskListener.class);
            }
        }
    }

    /** Delegates every call to the real execution; pickled with it (the real executions are Serializable). */
    private static final class Timed extends StepExecution {

        private static final long serialVersionUID = 1L;
        private final String key;
        private StepExecution inner;

        Timed(StepContext context, String key) {
            super(context);
            this.key = key;
        }

        @Override
        public boolean start() throws Exception {
            return CpsThreadSamples.time(key, "start", () -> {
                inner = TimedStep.STEPS.get(key).start(getContext());
                return inner.start();
            });
        }

        @Override
        public void onResume() {
            try {
                CpsThreadSamples.time(key, "onResume", () -> {
                    inner.onResume();
                    return null;
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop(Throwable cause) throws Exception {
            CpsThreadSamples.time(key, "stop", () -> {
                inner.stop(cause);
                return null;
            });
        }

        @Override
        public String getStatus() {
            return inner == null ? null : inner.getStatus();
        }
    }
}
