// Run through the script console of a real Jenkins: COUNT freestyle builds of JOB, each with a deployment
// record of the HAProxy target (as the canaryDeploy step would attach it). Parameters are substituted by
// RealJenkinsRecords before sending. Prints "BUILD=<n>" per build.
import dev.rollbackdeploy.gate.Evidence
import dev.rollbackdeploy.gate.Verdict
import dev.rollbackdeploy.haproxy.HAProxyBackend
import dev.rollbackdeploy.haproxy.HAProxyCluster
import dev.rollbackdeploy.jenkins.ui.ControllerRecords
import dev.rollbackdeploy.jenkins.ui.DeploymentRecordAction
import dev.rollbackdeploy.manifest.ManifestSet
import dev.rollbackdeploy.record.*
import dev.rollbackdeploy.vm.VmRecords
import java.time.Instant

def jenkins = jenkins.model.Jenkins.get()
def job = jenkins.getItemByFullName('@JOB@') ?: jenkins.createProject(hudson.model.FreeStyleProject, '@JOB@')
def backend = new HAProxyBackend('app', ['s1'], ['c1'])
def t0 = Instant.parse('2026-12-04T10:00:00Z')
def weights = [@WEIGHTS@]
for (int i = 0; i < @COUNT@; i++) {
    def build = job.scheduleBuild2(0).get()
    def w = weights[i % weights.size()]
    def target = new Target.HAProxy('@TARGET@', [VmRecords.endpoint('@SOCKET@')], 'app', 'haproxy-admin')
    def split = ManifestSet.of([HAProxyCluster.backendObject(backend, [s1: w[0], c1: w[1]])])
    def looks = (1..4).collect { n -> GateEvidence.of(new Evidence('http-5xx', t0.plusSeconds(10L * n), ['sum(rate(x[1m]))'],
            [canaryErrors: (double) n, canaryRequests: 100.0d * n, baselineErrors: 2.0d * n, baselineRequests: 100.0d * n],
            'log e-value', 0.1d * n, 4.6d, new Verdict.Pass('canary no worse'))) }
    def record = new DeploymentRecord(DeploymentRecord.CURRENT_FORMAT,
            new BuildInfo(new BuildRef(job.fullName, build.number), new URI('http://127.0.0.1/job/x/'), 'alice'), target, [],
            split, new StrategySpec(StrategyKind.CANARY, [steps: '[10, 50, 100]']), looks, Outcome.promoted(), t0,
            t0.plusSeconds(60))
    ControllerRecords.store().save(record)
    DeploymentRecordAction.attachRecordToRun(build, record)
    build.setDescription('@DESCRIPTION@')
    println "BUILD=" + build.number
}
