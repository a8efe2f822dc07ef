package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArtifactChunksTest {
    @ParameterizedTest(name = "{0} bytes in chunks of {1}: {2} chunks")
    @CsvSource({"0, 4, 0", "1, 4, 1", "4, 4, 1", "5, 4, 2", "12, 4, 3", "13, 4, 4"})
    void writesInChunksOfTheSizeAndJoinsThemBackWhole(int size, int chunkBytes, int count)
            throws IOException {
        byte[] artifact = new byte[size];
        for (int i = 0; i < size; i++) {
            artifact[i] = (byte) (i * 31);
        }
        List<byte[]> chunks = new ArrayList<>();
        ArtifactChunks.Output output =
                ArtifactChunks.output(
                        chunkBytes,
                        (seq, chunk) -> {
                            assertThat(seq).isEqualTo(chunks.size());
                            assertThat(chunk.length).isBetween(1, chunkBytes);
                            chunks.add(chunk.clone()); // the stream reuses its buffer
                        });
        // In uneven writes, as an encoder writes: a byte, then pieces across chunk boundaries.
        int at = 0;
        if (size > 0) {
            output.write(artifact[0]);
            at = 1;
        }
        while (at < size) {
            int n = Math.min(3, size - at);
            output.write(artifact, at, n);
            at += n;
        }
        output.close();
        output.close();

        assertThat(output.written()).isEqualTo(size);
        assertThat(chunks).hasSize(count);
        assertThat(ArtifactChunks.count(size, chunkBytes)).isEqualTo(count);
        try (InputStream joined = ArtifactChunks.join(chunks.iterator(), size)) {
            assertThat(joined.readAllBytes()).isEqualTo(artifact);
        }
    }

    @ParameterizedTest(name = "chunks of {0} bytes read as {1}: refused")
    @CsvSource({"'4,4', 9", "'4,4,4', 8", "'4', 5", "'', 1", "'4', 0"})
    void refusesChunksThatDoNotAddUpToTheStoredSize(String lengths, long size) {
        List<byte[]> chunks = new ArrayList<>();
        for (String length : lengths.split(",")) {
            if (!length.isEmpty()) {
                chunks.add(new byte[Integer.parseInt(length)]);
            }
        }

        assertThatThrownBy(() -> ArtifactChunks.join(chunks.iterator(), size).readAllBytes())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("expected " + size);
    }
}
