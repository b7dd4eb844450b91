package dev.rollbackdeploy.jenkins.ui;

import dev.rollbackdeploy.drill.SampleService;
import dev.rollbackdeploy.jenkins.real.JenkinsRest;
import dev.rollbackdeploy.jenkins.real.RealJenkins;
import dev.rollbackdeploy.local.LocalHAProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Harness (not a test) for docs/benchmarks.md: a real Jenkins (packaged .hpi, matrix-auth) with 1,000
 * recorded builds of one HAProxy target; prints the rollback page's response time (as {@code user}, API
 * token) and click → traffic: from the POST until the HAProxy frontend answers only from the restored
 * version. Run it as docs/benchmarks.md says.
 */
public final class RollbackPageBenchmark {

    private RollbackPageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int builds = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        RealJenkins jenkins = RealJenkins.matrix();
        try (SampleService v1 = SampleService.start("v1"); SampleService v2 = SampleService.start("v2");
                LocalHAProxy haproxy = LocalHAProxy.start(List.of(new LocalHAProxy.Server("s1", v1.port(), 100),
                        new LocalHAProxy.Server("c1", v2.port(), 0)))) {
            jenkins.beforeAll(null);
            long made = System.nanoTime();
            List<Integer> numbers = RealJenkinsRecords.create(jenkins.admin(), "bench", builds, "bench-prod",
                    haproxy.adminSocket().toString(), List.of(new int[] {100, 0}, new int[] {0, 100}), "benchmark");
            System.out.printf("recorded builds: %d (made in %d s)%n", numbers.size(), (System.nanoTime() - made) / 1_000_000_000L);
            int target = numbers.get(numbers.size() - 1); // canary 100: differs from live, so the page shows a diff
            String page = "job/bench/" + target + "/rollback/";
            JenkinsRest user = jenkins.user();
            for (int i = 0; i < 5; i++) {
                require(user.get(page), "rollback-confirm");
            }
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                long start = System.nanoTime();
                require(user.get(page), "rollback-confirm");
                micros.add((System.nanoTime() - start) / 1000);
            }
            Collections.sort(micros);
            System.out.printf("rollback page of build %d with %d recorded builds, 50 GETs: median %.1f ms, p95 %.1f ms, max %.1f ms%n",
                    target, numbers.size(), micros.get(25) / 1000.0, micros.get(47) / 1000.0, micros.get(49) / 1000.0);

            HttpClient http = HttpClient.newHttpClient();
            URI frontend = URI.create("http://127.0.0.1:" + haproxy.frontendPort() + "/");
            long clicked = System.nanoTime();
            JenkinsRest.Response post = user.post(page + "restore", null, null);
            if (post.status() != 302 && post.status() != 303) {
                throw new IllegalStateException("POST restore: " + post.status() + " " + post.body());
            }
            long firstV2 = -1;
            int inARow = 0;
            while (inARow < 20) {
                String served = http.send(HttpRequest.newBuilder(frontend).build(), HttpResponse.BodyHandlers.ofString())
                        .headers().firstValue(SampleService.SERVED_BY).orElse("?");
                if (served.contains("v2")) {
                    firstV2 = firstV2 < 0 ? System.nanoTime() : firstV2;
                    inARow++;
                } else {
                    inARow = 0;
                }
                if (System.nanoTime() - clicked > 60_000_000_000L) {
                    throw new IllegalStateException("no traffic on v2 within 60 s; last served by " + served);
                }
            }
            System.out.printf("click -> traffic on the restored version (HAProxy frontend, first v2 answer): %.1f ms%n",
                    (firstV2 - clicked) / 1_000_000.0);
        } finally {
            jenkins.close();
        }
    }

    private static void require(JenkinsRest.Response response, String marker) {
        if (response.status() != 200 || !response.body().contains(marker)) {
            throw new IllegalStateException("rollback page: " + response.status() + " without " + marker);
        }
    }
}
