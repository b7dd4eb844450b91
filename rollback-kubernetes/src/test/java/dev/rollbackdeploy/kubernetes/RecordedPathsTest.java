package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecordedPathsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        server defaults are left out             | {"a":1,"b":{"c":2}}                                  | {"a":1,"b":{"c":2,"d":3},"status":{}}   | {"a":1,"b":{"c":2}}
        a changed value shows the live one       | {"image":"web:1.0"}                                  | {"image":"web:hotfix"}                  | {"image":"web:hotfix"}
        a field missing live stays missing       | {"a":1,"b":2}                                        | {"a":1}                                 | {"a":1}
        named items match by name, not position  | {"c":[{"name":"web","image":"1"}]}                   | {"c":[{"name":"side","image":"s"},{"name":"web","image":"2","x":0}]} | {"c":[{"name":"web","image":"2"}]}
        unnamed items match by index             | {"p":[{"port":80}]}                                  | {"p":[{"port":81,"protocol":"TCP"},{"port":9}]} | {"p":[{"port":81}]}
        plain lists are taken whole              | {"args":["a"]}                                       | {"args":["a","--debug"]}                | {"args":["a","--debug"]}
        a map where the record has a value       | {"a":"x"}                                            | {"a":{"y":1}}                           | {"a":{"y":1}}
        """)
    void projectsTheLiveObjectOntoTheRecordedPaths(String row, String recorded, String live, String expected) throws Exception {
        assertThat(RecordedPaths.project(JSON.readTree(live), JSON.readTree(recorded))).isEqualTo(JSON.readTree(expected));
    }
}
