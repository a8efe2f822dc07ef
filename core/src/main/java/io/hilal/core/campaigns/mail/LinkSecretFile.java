package io.hilal.core.campaigns.mail;

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
 * The link secret of an installation without {@code HILAL_LINK_SECRET}: 32 random bytes, generated
 * at the first start and kept in the data folder in a file only its owner can read, so that links
 * stay valid across restarts and every process on the same folder (service, worker, CLI) signs with
 * the same secret, which is nowhere else.
 */
public final class LinkSecretFile {
    public static final String NAME = "link-secret";
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private LinkSecretFile() {}

    /** The secret kept in {@code folder}, created there first if there is none. */
    public static String readOrCreate(Path folder) {
        Path file = folder.resolve(NAME);
        try {
            Files.createDirectories(folder);
            if (!Files.exists(file)) {
                create(file);
            }
            ownerOnly(file);
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (secret.length() < 64) {
                throw new IllegalStateException(
                        file
                                + " does not hold a link secret (64 hex digits); delete it to have a"
                                + " new one made, which makes the links of emails already sent"
                                + " invalid");
            }
            return secret;
        } catch (IOException e) {
            throw new IllegalStateException("Could not read or create the link secret " + file, e);
        }
    }

    /**
     * Writes a new secret to a file of its own, then links it into place: a process starting at the
     * same time either makes the link or finds the complete file, never half of one.
     */
    private static void create(Path file) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        Path draft =
                Files.createTempFile(
                        file.getParent(),
                        NAME,
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
