package dev.rollbackdeploy.jenkins.steps;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import hudson.model.Result;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/** A context with an identity only: enough to pickle an execution as a Pipeline would hold it. */
final class FakeStepContext extends StepContext {

    private static final long serialVersionUID = 1L;
    private final String id;

    FakeStepContext(String id) {
        this.id = id;
    }

    @Override
    public <T> T get(Class<T> key) {
        return null;
    }

    @Override
    public void onSuccess(Object result) {
    }

    @Override
    public void onFailure(Throwable t) {
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public ListenableFuture<Void> saveState() {
        return Futures.immediateFuture(null);
    }

    @Override
    public void setResult(Result r) {
    }

    @Override
    public BodyInvoker newBodyInvoker() {
        throw new IllegalStateException("no body");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FakeStepContext f && f.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
