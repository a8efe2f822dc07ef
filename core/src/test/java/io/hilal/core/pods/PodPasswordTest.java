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
                Arguments.of(
                        "the variable's value", null, "HILAL_POD_EU2_PASSWORD", false, "from-env"),
                Arguments.of("a variable set empty is set", null, "HILAL_POD_EMPTY", false, ""),
                Arguments.of(
                        "an inline password, as pods were added before",
                        "inline",
                        null,
                        false,
                        "inline"),
                Arguments.of(
                        "neither, home credentials asked for: the home database's",
                        null,
                        null,
                        true,
                        "home-password"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void resolves(
            String name, String inline, String variable, boolean homeCredentials, String expected) {
        Pod pod =
                new Pod(
                        "eu2",
                        "jdbc:mysql://db2/hilal",
                        "hilal",
                        inline,
                        variable,
                        homeCredentials,
                        Status.ACTIVE);
        assertThat(PodPassword.resolve(pod, "home-password", ENVIRONMENT::get)).isEqualTo(expected);
    }

    @Test
    void neitherAPasswordNorHomeCredentialsAskedForIsAnErrorNeverTheHomePassword() {
        Pod pod =
                new Pod("eu2", "jdbc:mysql://db2/hilal", "hilal", null, null, false, Status.ACTIVE);
        assertThatThrownBy(() -> PodPassword.resolve(pod, "home-password", ENVIRONMENT::get))
                .isInstanceOf(PodPassword.MissingPasswordException.class)
                .hasMessageContaining("Pod 'eu2' has no database password")
                .hasMessageNotContaining("home-password");
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
                        false,
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
