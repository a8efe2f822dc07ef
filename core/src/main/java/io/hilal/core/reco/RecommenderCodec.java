package io.hilal.core.reco;

import io.hilal.core.reco.ArtifactCodec.Reader;
import io.hilal.core.reco.ArtifactCodec.Writer;
import io.hilal.core.reco.RecommendationModel.Trend;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The stored form of a {@link RecommendationModel}: deflated, "hilal-recommender", the format, then
 * the packed arrays in the model's field order. Format 4 added the popularity scales at the end;
 * format 3 artifacts, stored before, are read without them (their scales are unknown, NaN).
 */
final class RecommenderCodec {
    private static final String MAGIC = "hilal-recommender";
    private static final String KIND = "recommender";
    private static final int FORMAT = 4;
    private static final int OLDEST_FORMAT = 3;

    private RecommenderCodec() {}

    static byte[] write(RecommendationModel model) {
        return ArtifactCodec.write(true, 0, out -> write(model, out));
    }

    static RecommendationModel read(byte[] bytes) {
        return ArtifactCodec.read(bytes, true, KIND, RecommenderCodec::read);
    }

    static RecommendationModel read(java.io.InputStream in, long size) {
        return ArtifactCodec.read(in, size, true, KIND, RecommenderCodec::read);
    }

    private static void write(RecommendationModel model, Writer out) throws IOException {
        out.writeUtf(MAGIC);
        out.writeInt(FORMAT);
        out.writeLong(model.trainedAt.toEpochMilli());
        out.writeInt(model.products.length);
        for (ProductInfo product : model.products) {
            out.writeUtf(product.productId());
            out.writeNullableUtf(product.title());
            out.writeNullableUtf(product.category());
            out.writeBoolean(product.recommendable());
        }
        out.writeFloats(model.productGapDays);
        write(model.popular, out);
        out.writeInt(model.categories.length);
        for (String category : model.categories) {
            out.writeUtf(category);
        }
        write(model.popularByCategory, out);
        write(model.boughtTogether, out);
        write(model.viewedTogether, out);
        out.writeInt(model.trending.size());
        for (Trend trend : model.trending) {
            out.writeUtf(trend.productId());
            out.writeInt(trend.lastWeek());
            out.writeDouble(trend.usualWeekly());
            out.writeDouble(trend.score());
        }
        String[] customers = model.customers();
        out.writeInt(customers.length);
        for (String customer : customers) {
            out.writeUtf(customer);
        }
        out.writeInts(model.timingStart);
        out.writeInts(model.timingProduct);
        out.writeLongs(model.timingLastBought);
        out.writeInts(model.timingPurchases);
        out.writeFloats(model.timingGapDays);
        out.writeFloats(model.timingConfidence);
        out.writeDouble(model.popularScale);
        out.writeFloats(model.categoryScales);
    }

    private static RecommendationModel read(Reader in) throws IOException {
        if (!MAGIC.equals(in.readUtf())) {
            throw new IllegalArgumentException("not a recommender artifact");
        }
        int format = in.readInt();
        if (format < OLDEST_FORMAT || format > FORMAT) {
            throw new IllegalArgumentException("recommender artifact of format " + format);
        }
        Instant trainedAt = Instant.ofEpochMilli(in.readLong());
        ProductInfo[] products = new ProductInfo[nonNegative(in.readInt())];
        for (int p = 0; p < products.length; p++) {
            products[p] =
                    new ProductInfo(
                            in.readUtf(),
                            in.readNullableUtf(),
                            in.readNullableUtf(),
                            in.readBoolean());
        }
        float[] gaps = in.readFloats();
        PackedLists popular = readLists(in);
        String[] categories = new String[nonNegative(in.readInt())];
        for (int c = 0; c < categories.length; c++) {
            categories[c] = in.readUtf();
        }
        PackedLists byCategory = readLists(in);
        PackedLists boughtTogether = readLists(in);
        PackedLists viewedTogether = readLists(in);
        List<Trend> trending = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            trending.add(new Trend(in.readUtf(), in.readInt(), in.readDouble(), in.readDouble()));
        }
        String[] customers = new String[nonNegative(in.readInt())];
        for (int c = 0; c < customers.length; c++) {
            customers[c] = in.readUtf();
        }
        int[] start = in.readInts();
        int[] product = in.readInts();
        long[] lastBought = in.readLongs();
        int[] purchases = in.readInts();
        float[] gapDays = in.readFloats();
        float[] confidence = in.readFloats();
        double popularScale = Double.NaN;
        float[] categoryScales = new float[categories.length];
        Arrays.fill(categoryScales, Float.NaN);
        if (format >= 4) {
            popularScale = in.readDouble();
            categoryScales = in.readFloats();
        }
        return new RecommendationModel(
                trainedAt,
                products,
                gaps,
                popular,
                popularScale,
                categories,
                byCategory,
                categoryScales,
                boughtTogether,
                viewedTogether,
                List.copyOf(trending),
                customers,
                start,
                product,
                lastBought,
                purchases,
                gapDays,
                confidence);
    }

    private static void write(PackedLists lists, Writer out) throws IOException {
        out.writeInts(lists.start());
        out.writeInts(lists.items());
        out.writeFloats(lists.scores());
    }

    private static PackedLists readLists(Reader in) throws IOException {
        return new PackedLists(in.readInts(), in.readInts(), in.readFloats());
    }

    /** A count read from the artifact, before anything is allocated for it. */
    private static int nonNegative(int count) throws IOException {
        if (count < 0) {
            throw new IOException("negative count " + count);
        }
        return count;
    }
}
