package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VersionRetentionTest {
    /** Versions 1..n of a kind; {@code active} and {@code armed} name protected ones. */
    private static List<VersionRetention.Stored> versions(
            String kind, int n, List<Integer> active, List<Integer> armed) {
        List<VersionRetention.Stored> all = new ArrayList<>();
        for (int version = n; version >= 1; version--) {
            all.add(
                    new VersionRetention.Stored(
                            kind,
                            version,
                            100L * version,
                            active.contains(version),
                            armed.contains(version)));
        }
        return all;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("fewer than kept", 3, 5, List.of(3), List.of(), List.of()),
                Arguments.of("exactly kept", 5, 5, List.of(5), List.of(), List.of()),
                Arguments.of("older than kept", 7, 5, List.of(7), List.of(), List.of(1, 2)),
                Arguments.of(
                        "active older one kept", 7, 2, List.of(3), List.of(), List.of(1, 2, 4, 5)),
                Arguments.of("experiment arm kept", 6, 2, List.of(6), List.of(1, 4), List.of(2, 3)),
                Arguments.of("keep one", 3, 1, List.of(3), List.of(), List.of(1, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void deletesWhatIsPastTheNewestKeptAndNeitherActiveNorAnExperimentsArm(
            String name,
            int stored,
            int keep,
            List<Integer> active,
            List<Integer> armed,
            List<Integer> deleted) {
        assertThat(VersionRetention.toDelete(versions("als", stored, active, armed), keep))
                .extracting(VersionRetention.Stored::version)
                .containsExactlyElementsOf(deleted);
    }

    @Test
    void countsTheNewestPerKindNotAcrossKinds() {
        List<VersionRetention.Stored> both = new ArrayList<>();
        both.addAll(versions("recommender", 4, List.of(4), List.of()));
        both.addAll(versions("als", 2, List.of(), List.of()));
        assertThat(VersionRetention.toDelete(both, 2))
                .extracting(VersionRetention.Stored::kind, VersionRetention.Stored::version)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("recommender", 1),
                        org.assertj.core.groups.Tuple.tuple("recommender", 2));
    }

    @Test
    void refusesToKeepNone() {
        assertThatThrownBy(() -> VersionRetention.toDelete(List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
