package dev.rollbackdeploy.jenkins.ui;

import hudson.security.ACL;
import org.junit.runner.Description;
import org.jvnet.hudson.test.JenkinsRule;
import org.springframework.security.core.context.SecurityContextHolder;

/** One JenkinsRule Jenkins for a whole test class (started in @BeforeAll, stopped in @AfterAll): keeps the suite fast. */
public final class SharedJenkins extends JenkinsRule {

    public static SharedJenkins start(Class<?> testClass) throws Throwable {
        SharedJenkins j = new SharedJenkins();
        j.testDescription = Description.createTestDescription(testClass, "shared");
        j.timeout = 0;
        j.before();
        // the test thread acts as the system (set-up, server-side checks); HTTP clients act as users
        SecurityContextHolder.getContext().setAuthentication(ACL.SYSTEM2);
        return j;
    }
}
