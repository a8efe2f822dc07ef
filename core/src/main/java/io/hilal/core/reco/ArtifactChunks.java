package io.hilal.core.reco;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.BiConsumer;

/**
 * How a stored artifact is cut into rows and read back. One row cannot hold more than the server's
 * {@code max_allowed_packet} (at most 1 GiB; the embedded server's is 64 MiB), so an artifact is
 * written as chunks of {@link #CHUNK_BYTES} as it is encoded, and read back as one stream: a chunk
 * in memory at a time either way.
 */
public final class ArtifactChunks {
    /**
     * A chunk's size. The driver sends a chunk hex-encoded, in twice its size, so a chunk's
     * statement (about 1 MiB) fits under every server's default {@code max_allowed_packet} (MySQL
     * 5.7's 4 MiB the smallest) with room to spare; and a chunk in flight costs nothing next to the
     * model.
     */
    public static final int CHUNK_BYTES = 1 << 19;

    private ArtifactChunks() {}

    /**
     * A stream that hands what is written to it to {@code sink} in chunks of {@code chunkBytes},
     * numbered from 0, the last one shorter (an empty artifact has none). A chunk handed over is
     * the stream's own buffer, reused for the next one: the sink stores it before it returns.
     */
    public static Output output(int chunkBytes, BiConsumer<Integer, byte[]> sink) {
        return new Output(chunkBytes, sink);
    }

    /** See {@link #output}. */
    public static final class Output extends OutputStream {
        private final BiConsumer<Integer, byte[]> sink;
        private final byte[] buffer;
        private int filled;
        private int seq;
        private long written;
        private boolean closed;

        private Output(int chunkBytes, BiConsumer<Integer, byte[]> sink) {
            this.sink = sink;
            this.buffer = new byte[chunkBytes];
        }

        /** The bytes written so far. */
        public long written() {
            return written;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (closed) {
                throw new IOException("artifact already stored");
            }
            while (length > 0) {
                int n = Math.min(length, buffer.length - filled);
                System.arraycopy(bytes, offset, buffer, filled, n);
                filled += n;
                offset += n;
                length -= n;
                written += n;
                if (filled == buffer.length) {
                    sink.accept(seq++, buffer);
                    filled = 0;
                }
            }
        }

        /** Hands over the last, shorter chunk; writes nothing more. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                if (filled > 0) {
                    sink.accept(seq++, Arrays.copyOf(buffer, filled));
                }
            }
        }
    }

    /** The number of chunks an artifact of {@code size} bytes is written as. */
    public static long count(long size, int chunkBytes) {
        return (size + chunkBytes - 1) / chunkBytes;
    }

    /**
     * The chunks as one stream of {@code size} bytes. It fails (an {@link IOException}) when the
     * chunks end before {@code size} bytes or hold more: a version whose chunks are missing or
     * doubled is never read as a shorter or longer model.
     */
    public static InputStream join(Iterator<byte[]> chunks, long size) {
        return new Joined(chunks, size);
    }

    private static final class Joined extends InputStream {
        private final Iterator<byte[]> chunks;
        private final long size;
        private byte[] current = new byte[0];
        private int position;
        private long read;

        Joined(Iterator<byte[]> chunks, long size) {
            this.chunks = chunks;
            this.size = size;
        }

        /** Moves to the next chunk with bytes left; false at the end of the artifact. */
        private boolean fill() throws IOException {
            while (position == current.length) {
                if (!chunks.hasNext()) {
                    if (read != size) {
                        throw new IOException(
                                "artifact chunks hold " + read + " bytes, expected " + size);
                    }
                    return false;
                }
                current = chunks.next();
                position = 0;
                if (read + current.length > size) {
                    throw new IOException(
                            "artifact chunks hold over " + size + " bytes, expected " + size);
                }
                read += current.length;
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? current[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, buffer, offset, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return current.length - position;
        }
    }
}
