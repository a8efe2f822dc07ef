package io.hilal.core.reco;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The binary layer every stored model artifact is written with: big-endian numbers, strings and
 * length-prefixed arrays over a {@link DataOutputStream}, optionally deflated, and one way of
 * failing on a bad artifact. A truncated artifact fails with "truncated <kind> artifact", any other
 * damage with "corrupt <kind> artifact", both as {@link IllegalArgumentException}, so a loader can
 * skip a bad version. Arrays are read in bounded chunks: a damaged length fails when the data runs
 * out, never by allocating gigabytes first.
 *
 * <p>Each model's format (field order, magic, version) stays with its model; this class only
 * encodes the parts, so the byte layout of artifacts written before it existed is unchanged.
 */
public final class ArtifactCodec {
    /** Arrays move in pieces of this many bytes, through one reused buffer. */
    private static final int CHUNK = 1 << 16;

    private ArtifactCodec() {}

    /** Writes one artifact's fields. */
    @FunctionalInterface
    public interface Body {
        void write(Writer out) throws IOException;
    }

    /** Reads one artifact's fields back into a model. */
    @FunctionalInterface
    public interface Decoder<T> {
        T read(Reader in) throws IOException;
    }

    /** The artifact {@code body} writes, deflated if {@code deflate}. */
    public static byte[] write(boolean deflate, int sizeHint, Body body) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(Math.max(32, sizeHint));
        try {
            write(buffer, deflate, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /**
     * Writes the artifact {@code body} writes to {@code sink} (deflated if {@code deflate}) and
     * closes it: straight into the model store's chunks, never held whole.
     */
    public static void write(OutputStream sink, boolean deflate, Body body) throws IOException {
        OutputStream target = deflate ? new DeflaterOutputStream(sink) : sink;
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(target, CHUNK))) {
            body.write(new Writer(out));
        }
    }

    /**
     * Decodes {@code bytes} (inflating them first if {@code deflated}) as an artifact of {@code
     * kind}. An {@link IllegalArgumentException} the decoder throws (a wrong magic, an unknown
     * version) passes through as it is.
     */
    public static <T> T read(byte[] bytes, boolean deflated, String kind, Decoder<T> decoder) {
        return read(new ByteArrayInputStream(bytes), bytes.length, deflated, kind, decoder);
    }

    /**
     * As {@link #read(byte[], boolean, String, Decoder)}, from a stream of {@code size} bytes (a
     * stored artifact read chunk by chunk): the artifact is never held whole beside its model.
     */
    public static <T> T read(
            InputStream stream, long size, boolean deflated, String kind, Decoder<T> decoder) {
        CountingInput counted = new CountingInput(new BufferedInputStream(stream, CHUNK));
        InputStream source = counted;
        if (deflated) {
            source = new BufferedInputStream(new InflaterInputStream(source));
        }
        try (DataInputStream in = new DataInputStream(source)) {
            return decoder.read(new Reader(in, deflated ? -1 : size, counted));
        } catch (EOFException e) {
            throw new IllegalArgumentException("truncated " + kind + " artifact", e);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("corrupt " + kind + " artifact: " + e, e);
        }
    }

    /** Counts the bytes read through it, so that a reader knows how many are left. */
    private static final class CountingInput extends java.io.FilterInputStream {
        private long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int read = super.read();
            if (read >= 0) {
                count++;
            }
            return read;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                count += read;
            }
            return read;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    /** Writes an artifact's fields, big-endian. */
    public static final class Writer {
        private final DataOutputStream out;
        private final byte[] chunk = new byte[CHUNK];

        private Writer(DataOutputStream out) {
            this.out = out;
        }

        public void writeInt(int value) throws IOException {
            out.writeInt(value);
        }

        public void writeLong(long value) throws IOException {
            out.writeLong(value);
        }

        public void writeDouble(double value) throws IOException {
            out.writeDouble(value);
        }

        public void writeBoolean(boolean value) throws IOException {
            out.writeBoolean(value);
        }

        public void writeByte(int value) throws IOException {
            out.writeByte(value);
        }

        /**
         * A string as {@link DataOutputStream#writeUTF}: a two-byte length, at most 65535 bytes.
         */
        public void writeUtf(String value) throws IOException {
            out.writeUTF(value);
        }

        /** A flag, then the string if it is not null. */
        public void writeNullableUtf(String value) throws IOException {
            out.writeBoolean(value != null);
            if (value != null) {
                out.writeUTF(value);
            }
        }

        /** A string as a four-byte length and its UTF-8 bytes, of any length. */
        public void writeUtf8(String value) throws IOException {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }

        /** The length, then the values. */
        public void writeInts(int[] values) throws IOException {
            out.writeInt(values.length);
            for (int from = 0; from < values.length; from += CHUNK / 4) {
                int n = Math.min(CHUNK / 4, values.length - from);
                ByteBuffer.wrap(chunk).asIntBuffer().put(values, from, n);
                out.write(chunk, 0, 4 * n);
            }
        }

        /** The length, then the values. */
        public void writeLongs(long[] values) throws IOException {
            out.writeInt(values.length);
            for (int from = 0; from < values.length; from += CHUNK / 8) {
                int n = Math.min(CHUNK / 8, values.length - from);
                ByteBuffer.wrap(chunk).asLongBuffer().put(values, from, n);
                out.write(chunk, 0, 8 * n);
            }
        }

        /** The length, then the values. */
        public void writeFloats(float[] values) throws IOException {
            out.writeInt(values.length);
            writeFloatsRaw(values);
        }

        /** The values alone, for a count the reader knows from elsewhere. */
        public void writeFloatsRaw(float[] values) throws IOException {
            for (int from = 0; from < values.length; from += CHUNK / 4) {
                int n = Math.min(CHUNK / 4, values.length - from);
                ByteBuffer.wrap(chunk).asFloatBuffer().put(values, from, n);
                out.write(chunk, 0, 4 * n);
            }
        }
    }

    /** Reads an artifact's fields in the order they were written. */
    public static final class Reader {
        private final DataInputStream in;
        private final long size;
        private final CountingInput counted;
        private final byte[] chunk = new byte[CHUNK];

        private Reader(DataInputStream in, long size, CountingInput counted) {
            this.in = in;
            this.size = size;
            this.counted = counted;
        }

        /** Bytes left unread, or -1 when unknown (a deflated artifact). */
        public long remaining() throws IOException {
            return size < 0 ? -1 : size - counted.count;
        }

        public int readInt() throws IOException {
            return in.readInt();
        }

        public long readLong() throws IOException {
            return in.readLong();
        }

        public double readDouble() throws IOException {
            return in.readDouble();
        }

        public boolean readBoolean() throws IOException {
            return in.readBoolean();
        }

        public byte readByte() throws IOException {
            return in.readByte();
        }

        public String readUtf() throws IOException {
            return in.readUTF();
        }

        public String readNullableUtf() throws IOException {
            return readBoolean() ? readUtf() : null;
        }

        public String readUtf8() throws IOException {
            return new String(bytes(readInt(), 1), StandardCharsets.UTF_8);
        }

        public int[] readInts() throws IOException {
            int count = readInt();
            byte[] bytes = bytes(count, 4);
            int[] values = new int[count];
            ByteBuffer.wrap(bytes).asIntBuffer().get(values);
            return values;
        }

        public long[] readLongs() throws IOException {
            int count = readInt();
            byte[] bytes = bytes(count, 8);
            long[] values = new long[count];
            ByteBuffer.wrap(bytes).asLongBuffer().get(values);
            return values;
        }

        public float[] readFloats() throws IOException {
            return readFloatsRaw(readInt());
        }

        /** {@code count} floats written without their length. */
        public float[] readFloatsRaw(int count) throws IOException {
            long remaining = remaining();
            if (count >= 0 && remaining >= 0 && 4L * count <= remaining) {
                // The artifact holds them all: straight into the array, a chunk at a time, so a
                // large model's factors are never held twice, as bytes and as floats.
                float[] values = new float[count];
                for (int from = 0; from < count; from += CHUNK / 4) {
                    int n = Math.min(CHUNK / 4, count - from);
                    in.readFully(chunk, 0, 4 * n);
                    ByteBuffer.wrap(chunk, 0, 4 * n).asFloatBuffer().get(values, from, n);
                }
                return values;
            }
            byte[] bytes = bytes(count, 4);
            float[] values = new float[count];
            ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
            return values;
        }

        /**
         * The next {@code count} values of {@code width} bytes, read a chunk at a time so that a
         * damaged count runs into the artifact's end before it can allocate much.
         */
        private byte[] bytes(int count, int width) throws IOException {
            if (count < 0) {
                throw new IOException("negative length " + count);
            }
            long total = (long) count * width;
            long remaining = remaining();
            if (remaining >= 0 && total > remaining) {
                throw new EOFException(total + " bytes announced, " + remaining + " left");
            }
            if (total > Integer.MAX_VALUE - 16) {
                throw new IOException("length " + count + " too large");
            }
            byte[] bytes = new byte[(int) Math.min(total, CHUNK)];
            int filled = 0;
            while (filled < total) {
                if (filled == bytes.length) {
                    bytes = Arrays.copyOf(bytes, (int) Math.min(total, 2L * bytes.length));
                }
                int read = in.read(bytes, filled, bytes.length - filled);
                if (read < 0) {
                    throw new EOFException();
                }
                filled += read;
            }
            return bytes;
        }
    }
}
