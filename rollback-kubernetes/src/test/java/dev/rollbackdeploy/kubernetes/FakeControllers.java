package dev.rollbackdeploy.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The parts of kube-controller-manager and the kubelet that tests need, called by the test between
 * steps: roll Deployments out (status follows spec), or keep them from becoming available with
 * broken pods, or give up with ProgressDeadlineExceeded.
 */
public final class FakeControllers {

    private final KubernetesClient client;
    private final String namespace;
    private final Set<String> stuck = new HashSet<>();

    public FakeControllers(KubernetesClient controllerClient, String namespace) {
        this.client = controllerClient;
        this.namespace = namespace;
    }

    /** Every Deployment not marked stuck reports its current generation rolled out and available. */
    public void settle() {
        for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
            if (stuck.contains(d.getMetadata().getName())) {
                continue;
            }
            int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            DeploymentStatus status = new DeploymentStatus();
            status.setObservedGeneration(d.getMetadata().getGeneration());
            status.setReplicas(replicas);
            status.setUpdatedReplicas(replicas);
            status.setReadyReplicas(replicas);
            status.setAvailableReplicas(replicas);
            status.setConditions(List.of(condition("Progressing", "True", "NewReplicaSetAvailable", "rolled out")));
            d.setStatus(status);
            client.apps().deployments().inNamespace(namespace).resource(d).updateStatus();
        }
    }

    /** The Deployment's new pods cannot pull their image: a pod waits in ImagePullBackOff. */
    public void breakImagePull(String deployment, String image) {
        stuck.add(deployment);
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
        Pod pod = new PodBuilder().withNewMetadata().withName(deployment + "-7d9f-x1").withNamespace(namespace)
                .withLabels(d.getSpec().getSelector().getMatchLabels()).endMetadata()
                .withNewStatus().addNewContainerStatus().withName("web").withImage(image).withRestartCount(0)
                .withReady(false).withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"" + image + "\"").endWaiting().endState().endContainerStatus()
                .endStatus().build();
        client.pods().inNamespace(namespace).resource(pod).create();
    }

    /**
     * A Deployment that was running starts crash-looping: no replica is available any more and a pod
     * waits in CrashLoopBackOff after 5 restarts.
     */
    public void crashLoop(String deployment) {
        stuck.add(deployment);
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        DeploymentStatus status = new DeploymentStatus();
        status.setObservedGeneration(d.getMetadata().getGeneration());
        status.setReplicas(replicas);
        status.setUpdatedReplicas(replicas);
        status.setReadyReplicas(0);
        status.setAvailableReplicas(0);
        status.setConditions(List.of(condition("Progressing", "True", "NewReplicaSetAvailable", "rolled out")));
        d.setStatus(status);
        client.apps().deployments().inNamespace(namespace).resource(d).updateStatus();
        Pod pod = new PodBuilder().withNewMetadata().withName(deployment + "-7d9f-c1").withNamespace(namespace)
                .withLabels(d.getSpec().getSelector().getMatchLabels()).endMetadata()
                .withNewStatus().addNewContainerStatus().withName("web").withRestartCount(5).withReady(false)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .withMessage("back-off 40s restarting failed container").endWaiting().endState().endContainerStatus()
                .endStatus().build();
        client.pods().inNamespace(namespace).resource(pod).create();
    }

    /** The Deployment controller gives up on the rollout. */
    public void exceedDeadline(String deployment) {
        stuck.add(deployment);
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
        DeploymentStatus status = new DeploymentStatus();
        status.setObservedGeneration(d.getMetadata().getGeneration());
        status.setReplicas(1);
        status.setConditions(List.of(condition("Progressing", "False", "ProgressDeadlineExceeded",
                "ReplicaSet \"" + deployment + "-7d9f\" has timed out progressing.")));
        d.setStatus(status);
        client.apps().deployments().inNamespace(namespace).resource(d).updateStatus();
    }

    private static DeploymentCondition condition(String type, String status, String reason, String message) {
        return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .build();
    }
}
