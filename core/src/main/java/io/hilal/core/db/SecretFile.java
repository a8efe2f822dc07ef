package io.hilal.core.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * A secret of this installation kept in a file only its owner can read: 32 random bytes in hex,
 * made at the first start and the same ever after, for every process that shares the folder.
 */
public final class SecretFile {
    static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final int HEX_DIGITS = 64;

    private SecretFile() {}

    /** The secret in {@code file}, made first if there is none; {@code what} names it in errors. */
    public static String readOrCreate(Path file, String what) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!Files.exists(file)) {
                create(file);
            }
            ownerOnly(file);
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!secret.matches("[0-9a-f]{" + HEX_DIGITS + "}")) {
                throw new IllegalStateException(
                        file + " does not hold a " + what + " (" + HEX_DIGITS + " hex digits)");
            }
            return secret;
        } catch (IOException e) {
            throw new IllegalStateException("Could not read or create the " + what + " " + file, e);
        }
    }

    /**
     * Writes a new secret to a file of its own, then links it into place: a process starting at the
     * same time either makes the link or finds the complete file, never half of one.
     */
    private static void create(Path file) throws IOException {
        byte[] random = new byte[HEX_DIGITS / 2];
        new SecureRandom().nextBytes(random);
        Path draft =
                Files.createTempFile(
                        file.toAbsolutePath().getParent(),
                        file.getFileName().toString(),
                        ".new",
                        PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(draft, HexFormat.of().formatHex(random) + "\n");
            Files.createLink(file, draft);
        } catch (FileAlreadyExistsException e) {
            // Another process made it first: use theirs.
        } finally {
            Files.deleteIfExists(draft);
        }
    }

    /** A secret file others can read is no secret: tighten it. */
    private static void ownerOnly(Path file) throws IOException {
        if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }
}
