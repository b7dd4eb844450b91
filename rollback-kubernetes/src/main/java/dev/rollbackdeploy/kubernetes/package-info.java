/**
 * The Kubernetes adapter: {@link dev.rollbackdeploy.kubernetes.KubernetesCluster} (the engine's
 * {@code Cluster} port for one namespace), {@link dev.rollbackdeploy.kubernetes.LeaseLock} (one
 * mutator per target), {@link dev.rollbackdeploy.kubernetes.KubernetesConnection} and
 * {@link dev.rollbackdeploy.kubernetes.KubernetesTargetCheck} (reaching a cluster as a user names
 * it, checked before any write), {@link dev.rollbackdeploy.kubernetes.KubernetesRollout} with
 * {@link dev.rollbackdeploy.kubernetes.CanaryPromotion} (a rollout, and a promoted canary finished
 * so live equals the release), {@link dev.rollbackdeploy.kubernetes.KubernetesDrift} (live against
 * a record), {@link dev.rollbackdeploy.kubernetes.KubernetesClients} and
 * {@link dev.rollbackdeploy.kubernetes.Retrying}.
 *
 * <p>How "live equals recorded" is decided, and why. Live objects carry fields the manifest never
 * had: server defaults ({@code spec.strategy}, {@code clusterIP}, {@code imagePullPolicy}), fields
 * of other managers (an HPA's replicas, an injected sidecar), status. Three options were weighed:
 * <ul>
 * <li>Compare with the template-hash annotation only: cheap, but blind to drift ({@code kubectl
 * edit} leaves the annotation in place), so "already matching" could be a lie.</li>
 * <li>Strip a list of known defaults: never complete (every Kubernetes release adds some) and wrong
 * whenever a manifest sets a field to its default value.</li>
 * <li>Project the live object onto the fields our field manager owns ({@code metadata.managedFields},
 * fieldsV1) - chosen. After a server-side apply these are exactly the manifest's fields, with live
 * values; a field someone else changed moves to their manager and drops out, so drift shows up as a
 * difference and a restore forces it back. The server maintains this for us; nothing to keep in
 * step with Kubernetes releases.</li>
 * </ul>
 * The {@code rollback-deploy.io/template-hash} and {@code rollback-deploy.io/build} annotations are
 * still written: they tell people (and {@code kubectl get -L}) which build and template an object
 * came from, and mark objects as ours together with the managed-by label. Objects without a
 * managedFields entry of ours are compared whole; a restore then applies them once, after which they
 * have one. Known limit: values the server normalises ({@code cpu: 0.5} is stored as {@code 500m})
 * differ from the manifest forever; manifests should use the normal form.
 */
package dev.rollbackdeploy.kubernetes;
