package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hilal.core.reco.als.AlsModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactCodecTest {

    @Nested
    class Parts {
        @ParameterizedTest
        @ValueSource(booleans = {false, true})
        void roundTripEveryKindOfField(boolean deflate) {
            float[] many = new float[100_000]; // more than one chunk
            for (int i = 0; i < many.length; i++) {
                many[i] = i * 0.5f - 7;
            }
            byte[] bytes =
                    ArtifactCodec.write(
                            deflate,
                            0,
                            out -> {
                                out.writeInt(-5);
                                out.writeLong(Long.MIN_VALUE);
                                out.writeDouble(Double.NaN);
                                out.writeBoolean(true);
                                out.writeByte(200);
                                out.writeUtf("çay");
                                out.writeNullableUtf(null);
                                out.writeNullableUtf("");
                                out.writeUtf8("x".repeat(70_000));
                                out.writeInts(new int[] {1, -2, Integer.MAX_VALUE});
                                out.writeLongs(new long[] {});
                                out.writeFloats(many);
                                out.writeFloatsRaw(new float[] {Float.NaN, -0f});
                            });
            ArtifactCodec.read(
                    bytes,
                    deflate,
                    "test",
                    in -> {
                        assertThat(in.readInt()).isEqualTo(-5);
                        assertThat(in.readLong()).isEqualTo(Long.MIN_VALUE);
                        assertThat(in.readDouble()).isNaN();
                        assertThat(in.readBoolean()).isTrue();
                        assertThat(in.readByte()).isEqualTo((byte) 200);
                        assertThat(in.readUtf()).isEqualTo("çay");
                        assertThat(in.readNullableUtf()).isNull();
                        assertThat(in.readNullableUtf()).isEmpty();
                        assertThat(in.readUtf8()).isEqualTo("x".repeat(70_000));
                        assertThat(in.readInts()).containsExactly(1, -2, Integer.MAX_VALUE);
                        assertThat(in.readLongs()).isEmpty();
                        assertThat(in.readFloats()).isEqualTo(many);
                        assertThat(in.readFloatsRaw(2)).containsExactly(Float.NaN, -0f);
                        assertThat(in.remaining()).isEqualTo(deflate ? -1 : 0);
                        return null;
                    });
        }

        @Test
        void aLengthPastTheEndIsTruncatedBeforeAnythingLargeIsAllocated() {
            byte[] bytes = ArtifactCodec.write(false, 0, out -> out.writeInt(Integer.MAX_VALUE));
            assertThatThrownBy(() -> ArtifactCodec.read(bytes, false, "test", in -> in.readInts()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("truncated test artifact");
            byte[] deflated = ArtifactCodec.write(true, 0, out -> out.writeInt(300_000_000));
            assertThatThrownBy(
                            () -> ArtifactCodec.read(deflated, true, "test", in -> in.readFloats()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("truncated test artifact");
        }

        @Test
        void aNegativeLengthIsCorrupt() {
            byte[] bytes = ArtifactCodec.write(true, 0, out -> out.writeInt(-1));
            assertThatThrownBy(() -> ArtifactCodec.read(bytes, true, "test", in -> in.readInts()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("corrupt test artifact");
        }

        @Test
        void bytesThatAreNotDeflatedAreCorrupt() {
            assertThatThrownBy(
                            () ->
                                    ArtifactCodec.read(
                                            new byte[] {1, 2, 3}, true, "test", in -> in.readInt()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("corrupt test artifact");
        }
    }

    /** Artifacts written by the code before the split, as the database holds them. */
    @Nested
    class StoredArtifacts {
        @Test
        void aFormatFourRecommenderStillDecodesToTheSameModel() {
            RecommendationModel stored =
                    RecommendationModel.fromBytes(fixture("recommender-format-4.bin"));
            assertSameAnswers(stored, GoldenModels.recommender());
            assertThat(stored.popularScale()).isEqualTo(GoldenModels.recommender().popularScale());
            assertThat(stored.categoryScale("Tea")).isPositive();
        }

        @Test
        void theRecommenderIsStillWrittenInFormatFourByteForByte() {
            assertThat(inflate(GoldenModels.recommender().toBytes()))
                    .isEqualTo(inflate(fixture("recommender-format-4.bin")));
        }

        @Test
        void aFormatThreeRecommenderDecodesWithoutItsScales() {
            RecommendationModel stored =
                    RecommendationModel.fromBytes(fixture("recommender-format-3.bin"));
            assertSameAnswers(stored, GoldenModels.recommender());
            assertThat(stored.popularScale()).isNaN();
            assertThat(stored.categoryScale("Tea")).isNaN();
        }

        @Test
        void anAlsModelStillDecodesAndIsWrittenByteForByte() {
            byte[] stored = fixture("als-version-1.bin");
            AlsModel model = AlsModel.fromBytes(stored);
            AlsModel golden = GoldenModels.als();
            assertThat(model.userIds()).isEqualTo(golden.userIds());
            assertThat(model.itemIds()).containsExactly("tea", "cups", "lamp", "çay");
            assertThat(model.scaledRegularization()).isTrue();
            assertThat(model.userVector("cem").orElseThrow()).containsExactly(0f, 1e-3f);
            assertThat(model.recommend("anna", 4, java.util.List.of()))
                    .isEqualTo(golden.recommend("anna", 4, java.util.List.of()));
            assertThat(golden.toBytes()).isEqualTo(stored);
        }
    }

    @Nested
    class DamagedArtifacts {
        @Test
        void everyTruncationOfARecommenderFailsClearly() {
            byte[] raw = inflate(GoldenModels.recommender().toBytes());
            for (int length = 0; length < raw.length; length += 7) {
                byte[] cut = Arrays.copyOf(raw, length);
                // Re-deflated, so the damage is in the model's bytes, not in zlib's.
                byte[] artifact = deflate(cut);
                assertThatThrownBy(() -> RecommendationModel.fromBytes(artifact))
                        .as("cut at %d of %d bytes", length, raw.length)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("recommender artifact");
            }
        }

        @Test
        void aTruncatedDeflateStreamFailsClearly() {
            byte[] bytes = GoldenModels.recommender().toBytes();
            assertThatThrownBy(
                            () ->
                                    RecommendationModel.fromBytes(
                                            Arrays.copyOf(bytes, bytes.length / 2)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("recommender artifact");
        }

        @Test
        void everyTruncationOfAnAlsModelFailsClearly() {
            byte[] bytes = GoldenModels.als().toBytes();
            for (int length = 0; length < bytes.length; length++) {
                byte[] cut = Arrays.copyOf(bytes, length);
                assertThatThrownBy(() -> AlsModel.fromBytes(cut))
                        .as("cut at %d of %d bytes", length, bytes.length)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("ALS");
            }
        }

        @Test
        void aForeignArtifactIsNamedAsSuch() {
            byte[] als = GoldenModels.als().toBytes();
            assertThatThrownBy(() -> RecommendationModel.fromBytes(als))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("recommender artifact");
            byte[] recommender = inflate(GoldenModels.recommender().toBytes());
            assertThatThrownBy(() -> AlsModel.fromBytes(recommender))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not an ALS model artifact");
        }

        @Test
        void anUnknownFormatIsNamed() {
            byte[] raw = inflate(GoldenModels.recommender().toBytes());
            raw[2 + "hilal-recommender".length() + 3] = 9;
            assertThatThrownBy(() -> RecommendationModel.fromBytes(deflate(raw)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("format 9");
        }
    }

    private static void assertSameAnswers(
            RecommendationModel actual, RecommendationModel expected) {
        assertThat(actual.trainedAt()).isEqualTo(expected.trainedAt());
        assertThat(actual.products()).isEqualTo(expected.products());
        assertThat(actual.popular()).isEqualTo(expected.popular());
        assertThat(actual.trending()).isEqualTo(expected.trending()).isNotEmpty();
        assertThat(actual.customerCount()).isEqualTo(expected.customerCount());
        for (String category : new String[] {"Tea", "Home", "none"}) {
            assertThat(actual.popularIn(category)).isEqualTo(expected.popularIn(category));
        }
        for (ProductInfo product : expected.products()) {
            String id = product.productId();
            assertThat(actual.boughtTogether(id)).isEqualTo(expected.boughtTogether(id));
            assertThat(actual.viewedTogether(id)).isEqualTo(expected.viewedTogether(id));
            assertThat(actual.productGapDays(id)).isEqualTo(expected.productGapDays(id));
        }
        assertThat(actual.boughtTogether("tea")).isNotEmpty();
        assertThat(actual.viewedTogether("cups")).isNotEmpty();
        for (String customer : new String[] {"c0", "c1", "t0", "v0"}) {
            assertThat(actual.timings(customer)).isEqualTo(expected.timings(customer));
        }
        assertThat(actual.timings("c0")).containsKey("tea");
        assertThat(actual.memoryBytes()).isEqualTo(expected.memoryBytes());
    }

    private static byte[] fixture(String name) {
        try (InputStream in =
                ArtifactCodecTest.class.getResourceAsStream("/fixtures/reco/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] inflate(byte[] bytes) {
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] deflate(byte[] raw) {
        return ArtifactCodec.write(
                true,
                0,
                out -> {
                    for (byte b : raw) {
                        out.writeByte(b);
                    }
                });
    }
}
