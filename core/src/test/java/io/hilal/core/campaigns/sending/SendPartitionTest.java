package io.hilal.core.campaigns.sending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SendPartitionTest {
    static Stream<Arguments> shares() {
        return Stream.of(
                Arguments.of(List.of(), "w1", SendPartition.WHOLE),
                Arguments.of(List.of("w1"), "w1", SendPartition.WHOLE),
                Arguments.of(List.of("w2", "w3"), "w1", SendPartition.WHOLE),
                Arguments.of(List.of("w1", "w2"), "w1", new SendPartition(0, 2)),
                Arguments.of(List.of("w1", "w2"), "w2", new SendPartition(1, 2)),
                Arguments.of(List.of("w1", "w2", "w3"), "w3", new SendPartition(2, 3)));
    }

    @ParameterizedTest
    @MethodSource("shares")
    void aWorkerTakesItsPlaceAmongTheLiveWorkers(
            List<String> live, String worker, SendPartition expected) {
        assertThat(SendPartition.of(live, worker)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("shares")
    void onlyALoneOrUnseenWorkerListsTheWholeRun(
            List<String> live, String worker, SendPartition share) {
        assertThat(share.whole()).isEqualTo(live.size() < 2 || !live.contains(worker));
    }

    @org.junit.jupiter.api.Test
    void rejectsAShareOutsideItsCount() {
        assertThatThrownBy(() -> new SendPartition(2, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SendPartition(0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
