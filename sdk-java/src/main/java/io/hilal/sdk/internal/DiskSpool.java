package io.hilal.sdk.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Event batches kept on disk while Hilal cannot take them, so they survive a long outage and a
 * process restart. One file per batch, holding the exact request body and named after the batch id,
 * so a batch sent from the spool is byte-for-byte the one first tried and Hilal stores each event
 * once. A file is written under a temporary name, forced to disk and renamed, so a crash leaves
 * either the whole file or a temporary one (deleted on the next start); each file starts with a
 * header holding the body's length and CRC-32, and a file that fails the check is set aside as
 * {@code .corrupt}, never sent. The spool is bounded in bytes and files, and a lock file keeps two
 * clients from sharing the folder. Used by the flusher thread only; not part of the SDK's API.
 */
public final class DiskSpool implements AutoCloseable {
    /** A spooled batch ready to send. */
    public record Entry(Path file, String batchId, byte[] body) {}

    private static final System.Logger LOG = System.getLogger("io.hilal.sdk");
    private static final String SUFFIX = ".batch";
    private static final String TEMPORARY = ".tmp";
    private static final String MAGIC = "HILAL-SPOOL-1";

    private final Path directory;
    private final long maxBytes;
    private final int maxFiles;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final TreeMap<String, Long> files = new TreeMap<>();
    private long bytes;
    private long sequence;

    private DiskSpool(
            Path directory, long maxBytes, int maxFiles, FileChannel lockChannel, FileLock lock) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating it when needed) and locks the spool folder, deletes temporary files a crash
     * left behind and indexes the batches waiting there.
     *
     * @param directory the folder
     * @param maxBytes the most bytes of batch files kept
     * @param maxFiles the most batch files kept
     * @return the spool
     * @throws IllegalStateException when another client holds the folder
     * @throws UncheckedIOException when the folder cannot be used
     */
    public static DiskSpool open(Path directory, long maxBytes, int maxFiles) {
        try {
            Files.createDirectories(directory);
            FileChannel channel =
                    FileChannel.open(
                            directory.resolve(".lock"),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException(
                        "the spool folder " + directory + " is in use by another Hilal client");
            }
            DiskSpool spool = new DiskSpool(directory, maxBytes, maxFiles, channel, lock);
            spool.index();
            return spool;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the spool folder " + directory, e);
        }
    }

    private void index() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path file : entries) {
                String name = file.getFileName().toString();
                if (name.endsWith(TEMPORARY)) {
                    // A write cut short by a crash: never acknowledged as spooled.
                    Files.deleteIfExists(file);
                } else if (name.endsWith(SUFFIX)) {
                    long size = Files.size(file);
                    files.put(name, size);
                    bytes += size;
                }
            }
        }
        if (!files.isEmpty()) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "Hilal spool {0}: {1} batches ({2} bytes) waiting to be sent",
                    directory,
                    files.size(),
                    bytes);
        }
    }

    /**
     * Whether no batch waits.
     *
     * @return true when empty
     */
    public boolean isEmpty() {
        return files.isEmpty();
    }

    /**
     * The batches waiting.
     *
     * @return the file count
     */
    public int files() {
        return files.size();
    }

    /**
     * The bytes of the batches waiting, headers included.
     *
     * @return the byte count
     */
    public long bytes() {
        return bytes;
    }

    /**
     * Writes a batch durably, unless that would pass the spool's bounds.
     *
     * @param batchId the batch id, sent as the {@code Idempotency-Key}
     * @param body the exact request body
     * @return false when the spool is full (nothing written)
     * @throws UncheckedIOException when the file cannot be written
     */
    public boolean write(String batchId, byte[] body) {
        byte[] header = header(body);
        long size = header.length + (long) body.length;
        if (files.size() + 1 > maxFiles || bytes + size > maxBytes) {
            return false;
        }
        // Oldest first: the name sorts by time, then by a sequence within this process.
        String name =
                String.format(
                                Locale.ROOT,
                                "%013d-%06d-%s",
                                System.currentTimeMillis(),
                                sequence++ % 1_000_000,
                                batchId)
                        + SUFFIX;
        Path target = directory.resolve(name);
        Path temporary = directory.resolve(name + TEMPORARY);
        try {
            try (FileChannel channel =
                    FileChannel.open(
                            temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer[] buffers = {ByteBuffer.wrap(header), ByteBuffer.wrap(body)};
                while (buffers[1].hasRemaining()) {
                    channel.write(buffers);
                }
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory();
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // the next start deletes it
            }
            throw new UncheckedIOException("cannot write to the spool folder " + directory, e);
        }
        files.put(name, size);
        bytes += size;
        return true;
    }

    /**
     * The oldest intact batch; files that fail their check are set aside as {@code .corrupt} on the
     * way and never returned.
     *
     * @return the batch, or null when none waits
     */
    public Entry oldest() {
        while (!files.isEmpty()) {
            String name = files.firstKey();
            Path file = directory.resolve(name);
            byte[] content;
            try {
                content = Files.readAllBytes(file);
            } catch (NoSuchFileException gone) {
                forget(name);
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the spool file " + file, e);
            }
            byte[] body = verify(content);
            if (body == null) {
                setAside(file, "corrupt", "failed its length or checksum check");
                continue;
            }
            return new Entry(file, batchId(name), body);
        }
        return null;
    }

    /**
     * Deletes a batch that was delivered.
     *
     * @param entry the batch
     */
    public void remove(Entry entry) {
        try {
            Files.deleteIfExists(entry.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the spool file " + entry.file(), e);
        }
        forget(entry.file().getFileName().toString());
    }

    /**
     * Moves a batch out of the queue without deleting it, under {@code <name>.<why>}, for a person
     * to look at: it is unreadable, or Hilal refused it for good.
     *
     * @param entry the batch
     * @param why the new suffix, e.g. {@code corrupt} or {@code rejected}
     * @param reason for the log
     */
    public void setAside(Entry entry, String why, String reason) {
        setAside(entry.file(), why, reason);
    }

    private void setAside(Path file, String why, String reason) {
        Path target = file.resolveSibling(file.getFileName() + "." + why);
        try {
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the spool file " + file, e);
        }
        LOG.log(
                System.Logger.Level.WARNING,
                "Hilal spool: {0} {1}; kept as {2} and not sent",
                file.getFileName(),
                reason,
                target.getFileName());
        forget(file.getFileName().toString());
    }

    private void forget(String name) {
        Long size = files.remove(name);
        if (size != null) {
            bytes -= size;
        }
    }

    /** Releases the folder's lock. */
    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Hilal spool: cannot release the lock", e);
        }
    }

    private static byte[] header(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return String.format(Locale.ROOT, "%s %d %08x%n", MAGIC, body.length, crc.getValue())
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The body when the header is intact and matches it, else null. */
    static byte[] verify(byte[] content) {
        int newline = -1;
        for (int i = 0; i < Math.min(content.length, 64); i++) {
            if (content[i] == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            return null;
        }
        String[] parts =
                new String(content, 0, newline, StandardCharsets.US_ASCII).strip().split(" ");
        if (parts.length != 3 || !MAGIC.equals(parts[0])) {
            return null;
        }
        try {
            int length = Integer.parseInt(parts[1]);
            long expected = Long.parseLong(parts[2], 16);
            if (length != content.length - newline - 1) {
                return null;
            }
            CRC32 crc = new CRC32();
            crc.update(content, newline + 1, length);
            if (crc.getValue() != expected) {
                return null;
            }
            byte[] body = new byte[length];
            System.arraycopy(content, newline + 1, body, 0, length);
            return body;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String batchId(String name) {
        String base = name.substring(0, name.length() - SUFFIX.length());
        int second = base.indexOf('-', base.indexOf('-') + 1);
        return base.substring(second + 1);
    }

    private void forceDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open a folder; the rename itself is still atomic.
        }
    }

    /**
     * The names of the files set aside, for tests and diagnostics.
     *
     * @return the names
     */
    public List<String> setAside() {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path file : entries) {
                String name = file.getFileName().toString();
                if (name.endsWith(".corrupt") || name.endsWith(".rejected")) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
