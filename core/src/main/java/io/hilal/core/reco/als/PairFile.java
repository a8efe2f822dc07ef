package io.hilal.core.reco.als;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Interactions written to a file for a trainer outside this JVM ({@link ExternalAls}), with the ids
 * its dense user and item numbers stand for. The format is the Spark driver's input ({@code
 * io.hilal.spark.SparkAlsDriver}): big-endian {@code "HSI1", users, items, pairs}, then each pair
 * as {@code user, item, weight} (int, int, float). A {@link Writer} appends pairs as they are read
 * and fills the counts in at the end, so a tenant's pairs pass through this JVM's heap one at a
 * time, never all at once.
 *
 * @param file where the pairs are
 * @param userIds the customer each user number stands for
 * @param itemIds the product each item number stands for
 * @param size the pairs in the file
 */
public record PairFile(Path file, List<String> userIds, List<String> itemIds, int size) {
    /** The first four bytes: "HSI1". */
    public static final int MAGIC = 0x48534931;

    private static final int HEADER_BYTES = 16;

    /** Writes {@code data} to {@code file}. */
    public static PairFile of(Interactions data, Path file) {
        try (Writer writer = new Writer(file)) {
            List<String> users = data.userIds();
            List<String> items = data.itemIds();
            int[] last = {-1};
            data.forEachPair(
                    (user, item, weight) -> {
                        if (user != last[0]) { // forEachPair goes user by user
                            writer.customer(users.get(user));
                            last[0] = user;
                        }
                        writer.add(items.get(item), weight);
                    });
            return writer.finish();
        }
    }

    /** The number of users and items per pair, on average: how lambda scales with counts. */
    public double meanCount() {
        return 2.0 * size / (double) (userIds.size() + itemIds.size());
    }

    /**
     * Appends pairs to a file customer by customer ({@link #customer}, then that customer's pairs),
     * numbering customers and products in the order they first appear. Keeps the list of customer
     * ids and a map of product ids (a catalog's worth), nothing per pair.
     */
    public static final class Writer implements Closeable {
        private final Path file;
        private final DataOutputStream out;
        private final List<String> users = new ArrayList<>();
        private final List<String> items = new ArrayList<>();
        private final Map<String, Integer> itemNumbers = new HashMap<>();
        private int user = -1;
        private int size;
        private boolean finished;

        public Writer(Path file) {
            this.file = file;
            try {
                out =
                        new DataOutputStream(
                                new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
                out.write(new byte[HEADER_BYTES]); // the counts, once they are known
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Starts a customer's pairs. Each customer once: a customer started twice would stand for
         * two users, which the model read back refuses (duplicate id).
         */
        public void customer(String customerId) {
            user = number(users, customerId);
        }

        /**
         * One pair of the current customer; a product given twice for a customer is two pairs to
         * the trainer (Spark's ALS sums them), so the caller gives each once.
         */
        public void add(String productId, float weight) {
            if (user < 0) {
                throw new IllegalStateException("a pair before its customer");
            }
            int item = itemNumbers.computeIfAbsent(productId, id -> number(items, id));
            try {
                out.writeInt(user);
                out.writeInt(item);
                out.writeFloat(weight);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            size++;
        }

        private static int number(List<String> ids, String id) {
            ids.add(id);
            return ids.size() - 1;
        }

        /** Closes the file with its counts written and says what it holds. */
        public PairFile finish() {
            close();
            return new PairFile(
                    file,
                    Collections.unmodifiableList(users),
                    Collections.unmodifiableList(items),
                    size);
        }

        @Override
        public void close() {
            if (finished) {
                return;
            }
            finished = true;
            try {
                out.close();
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES); // big-endian
                    header.putInt(MAGIC).putInt(users.size()).putInt(items.size()).putInt(size);
                    header.flip();
                    channel.write(header, 0);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
