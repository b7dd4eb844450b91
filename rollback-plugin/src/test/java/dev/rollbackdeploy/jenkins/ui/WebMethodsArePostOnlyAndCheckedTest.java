package dev.rollbackdeploy.jenkins.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.interceptor.RequirePOST;
import org.kohsuke.stapler.verb.POST;

/**
 * Every Stapler web method ({@code public do*}) in the plugin's classes is POST-only and checks a permission
 * before it does anything else: found by reflection over the compiled classes, checked on the bytecode
 * (javap): the method's first call is {@code checkPermission}, or {@code Jenkins.get()} followed by it.
 * So a new web method cannot slip by. Form validation ({@code doCheck*}) and list filling ({@code doFill*})
 * are read-only by Jenkins convention and not web actions that change anything; they are left out.
 */
class WebMethodsArePostOnlyAndCheckedTest {

    private static final Path CLASSES = Path.of("target/classes");
    private static final Pattern CALL = Pattern.compile("invoke\\w+\\s+#\\d+\\s+// \\w*Method ([\\w/$]+)\\.(\\w+|\"<init>\")");

    @Test
    void everyWebMethodIsPostOnlyAndChecksAPermissionFirst() throws Exception {
        List<Method> methods = webMethods();
        assertThat(methods).as("the plugin's web methods").extracting(Method::getName).contains("doRestore", "doTestConnection");
        for (Method method : methods) {
            assertThat(method.isAnnotationPresent(RequirePOST.class) || method.isAnnotationPresent(POST.class))
                    .as(method + " must be @RequirePOST or @POST").isTrue();
            List<String> calls = calls(method);
            assertThat(calls).as(method + " makes calls").isNotEmpty();
            int check = calls.indexOf(calls.stream().filter(c -> c.endsWith(".checkPermission")).findFirst()
                    .orElseThrow(() -> new AssertionError(method + " never calls checkPermission: " + calls)));
            assertThat(calls.subList(0, check)).as(method + " calls before checkPermission").allMatch(
                    c -> c.equals("jenkins/model/Jenkins.get"));
        }
    }

    @Test
    void theBytecodeCheckSeesAMethodThatActsBeforeChecking() throws Exception {
        List<String> calls = calls(Probe.class.getDeclaredMethod("doLate", hudson.model.Run.class));
        assertThat(calls.indexOf("java/lang/System.nanoTime")).isLessThan(calls.indexOf("hudson/model/Run.checkPermission"));
    }

    /** Not a plugin class: the negative case for the bytecode reader. */
    static final class Probe {
        public void doLate(hudson.model.Run<?, ?> run) {
            System.nanoTime();
            run.checkPermission(RollbackPermission.ROLLBACK);
        }
    }

    private static List<Method> webMethods() throws IOException, ClassNotFoundException {
        List<Method> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CLASSES.resolve("dev/rollbackdeploy/jenkins"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = CLASSES.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                for (Method method : Class.forName(name, false, WebMethodsArePostOnlyAndCheckedTest.class.getClassLoader())
                        .getDeclaredMethods()) {
                    if (Modifier.isPublic(method.getModifiers()) && method.getName().matches("do[A-Z]\\w*")
                            && !method.getName().matches("do(Check|Fill)[A-Z]\\w*")) {
                        found.add(method);
                    }
                }
            }
        }
        return found;
    }

    /** The owner/name of each call in the method's bytecode, in order. */
    private static List<String> calls(Method method) throws IOException {
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow(() -> new AssertionError("javap not in this JDK"));
        StringWriter out = new StringWriter();
        String location = method.getDeclaringClass().getProtectionDomain().getCodeSource().getLocation().getPath();
        int rc = javap.run(new PrintWriter(out), new PrintWriter(out), "-c", "-p", "-cp", location,
                method.getDeclaringClass().getName());
        assertThat(rc).as(out.toString()).isZero();
        List<String> calls = new ArrayList<>();
        boolean inside = false;
        for (String line : out.toString().split("\n")) {
            if (line.matches("\\s{2}\\S.*\\(.*\\).*;") || line.matches("\\s{2}\\S.*\\(.*\\).*throws.*;")) {
                inside = line.contains(" " + method.getName() + "(");
                continue;
            }
            Matcher call = CALL.matcher(line);
            if (inside && call.find()) {
                calls.add(call.group(1) + "." + call.group(2));
            }
        }
        return calls;
    }
}
