package io.hilal.core.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hilal.core.pods.Pod.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodPasswordTest {
    private static final Map<String, String> ENVIRONMENT =
            Map.of("HILAL_POD_EU2_PASSWORD", "from-env", "HILAL_POD_EMPTY", "");

    static List<Arguments> cases() {
        return List.of(
                Arguments.of("the variable's value", null, "HILAL_POD_EU2_PASSWORD", "from-env"),
                Arguments.of("a variable set empty is set", null, "HILAL_POD_EMPTY", ""),
                Arguments.of(
                        "an inline password, as pods were added before", "inline", null, "inline"),
                Arguments.of("neither: the home database's", null, null, "home-password"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void resolves(String name, String inline, String variable, String expected) {
        Pod pod =
                new Pod("eu2", "jdbc:mysql://db2/hilal", "hilal", inline, variable, Status.ACTIVE);
        assertThat(PodPassword.resolve(pod, "home-password", ENVIRONMENT::get)).isEqualTo(expected);
    }

    @Test
    void aVariableThatIsNotSetIsAnErrorNamingPodAndVariableNeverAnotherPassword() {
        Pod pod =
                new Pod(
                        "eu2",
                        "jdbc:mysql://db2/hilal",
                        "hilal",
                        null,
                        "HILAL_POD_MISSING",
                        Status.ACTIVE);
        assertThatThrownBy(() -> PodPassword.resolve(pod, "home-password", ENVIRONMENT::get))
                .isInstanceOf(PodPassword.MissingPasswordException.class)
                .hasMessageContaining("Pod 'eu2'")
                .hasMessageContaining("HILAL_POD_MISSING, which is not set");
    }

    @ParameterizedTest
    @MethodSource("names")
    void onlyVariablesMeantForPodsMayBeNamed(String variable, boolean allowed) {
        assertThat(PodPassword.VARIABLE.matcher(variable).matches()).isEqualTo(allowed);
    }

    static List<Arguments> names() {
        return List.of(
                Arguments.of("HILAL_POD_EU2_PASSWORD", true),
                Arguments.of("HILAL_POD_1", true),
                Arguments.of("HILAL_POD_", false),
                Arguments.of("HILAL_LINK_SECRET", false),
                Arguments.of("HILAL_DATABASE_PASSWORD", false),
                Arguments.of("hilal_pod_eu2", false),
                Arguments.of("HILAL_POD_EU2;DROP", false),
                Arguments.of("", false));
    }
}
