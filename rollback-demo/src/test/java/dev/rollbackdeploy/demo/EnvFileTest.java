package dev.rollbackdeploy.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvFileTest {

    @Test
    void readsWhatItWritesAndWhatStartJenkinsWrites() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("DEMO_STABLE_SERVERS", "stable1, stable2");
        values.put("DEMO_PROMETHEUS_URL", "http://127.0.0.1:9090/");
        assertThat(EnvFile.parse(EnvFile.render(values))).isEqualTo(values);
        assertThat(EnvFile.parse("# bundle.env\nJENKINS_URL=http://127.0.0.1:8080/\n\nJENKINS_PID=42\n"))
                .containsEntry("JENKINS_URL", "http://127.0.0.1:8080/").containsEntry("JENKINS_PID", "42");
    }

    @Test
    void refusesALineWithoutKeyAndAValueAShellWouldMisread() {
        assertThatThrownBy(() -> EnvFile.parse("no equals sign")).hasMessageContaining("got 'no equals sign'");
        assertThatThrownBy(() -> EnvFile.render(Map.of("KEY", "it's"))).hasMessageContaining("KEY").hasMessageContaining("it's");
        assertThatThrownBy(() -> EnvFile.render(Map.of("lower", "x"))).hasMessageContaining("got 'lower'");
    }
}
