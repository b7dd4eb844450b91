package dev.rollbackdeploy.prometheus;

import dev.rollbackdeploy.gate.Measurement;
import java.nio.charset.StandardCharsets;
import java.util.List;
import okhttp3.Credentials;

/**
 * Masks the configured secrets in text that came from elsewhere (answer bodies, exception messages):
 * a proxy that echoes the Authorization header back must not put the token into a build log.
 */
final class Redactor {

    private final List<String> secrets;

    Redactor(PrometheusAuth auth) {
        if (auth instanceof PrometheusAuth.None) {
            secrets = List.of();
        } else if (auth instanceof PrometheusAuth.Bearer bearer) {
            secrets = List.of(bearer.token());
        } else if (auth instanceof PrometheusAuth.Basic basic) {
            String encoded = Credentials.basic(basic.user(), basic.password(), StandardCharsets.UTF_8)
                    .substring("Basic ".length());
            secrets = List.of(basic.password(), encoded);
        } else {
            throw new AssertionError(auth);
        }
    }

    String redact(String text) {
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, "***");
        }
        return out;
    }

    Measurement redact(Measurement m) {
        if (m instanceof Measurement.NoData noData) {
            return new Measurement.NoData(noData.query(), redact(noData.reason()));
        } else if (m instanceof Measurement.Failed failed) {
            return new Measurement.Failed(failed.query(), redact(failed.reason()));
        } else if (m instanceof Measurement.Value || m instanceof Measurement.Series) {
            return m;
        }
        throw new AssertionError(m);
    }
}
