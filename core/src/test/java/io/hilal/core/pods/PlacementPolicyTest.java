package io.hilal.core.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.pods.Pod.Status;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlacementPolicyTest {
    static List<Arguments> cases() {
        return List.of(
                Arguments.of(
                        "one pod",
                        List.of(new PodLoad("home", Status.ACTIVE, 40, 9_000)),
                        Optional.of("home")),
                Arguments.of(
                        "fewest recent events wins over fewest tenants",
                        List.of(
                                new PodLoad("home", Status.ACTIVE, 2, 500),
                                new PodLoad("b", Status.ACTIVE, 30, 100)),
                        Optional.of("b")),
                Arguments.of(
                        "equal events: fewest tenants",
                        List.of(
                                new PodLoad("home", Status.ACTIVE, 3, 0),
                                new PodLoad("b", Status.ACTIVE, 1, 0)),
                        Optional.of("b")),
                Arguments.of(
                        "a tie: home first",
                        List.of(
                                new PodLoad("b", Status.ACTIVE, 0, 0),
                                new PodLoad("home", Status.ACTIVE, 0, 0)),
                        Optional.of("home")),
                Arguments.of(
                        "a tie between others: by name",
                        List.of(
                                new PodLoad("home", Status.CLOSED, 0, 0),
                                new PodLoad("c", Status.ACTIVE, 5, 5),
                                new PodLoad("b", Status.ACTIVE, 5, 5)),
                        Optional.of("b")),
                Arguments.of(
                        "a closed pod takes none, however empty",
                        List.of(
                                new PodLoad("home", Status.ACTIVE, 100, 1_000_000),
                                new PodLoad("b", Status.CLOSED, 0, 0)),
                        Optional.of("home")),
                Arguments.of(
                        "every pod closed: nowhere",
                        List.of(
                                new PodLoad("home", Status.CLOSED, 1, 1),
                                new PodLoad("b", Status.CLOSED, 0, 0)),
                        Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void choosesTheLeastLoadedActivePod(
            String name, List<PodLoad> loads, Optional<String> expected) {
        assertThat(PlacementPolicy.choose(loads)).isEqualTo(expected);
    }
}
