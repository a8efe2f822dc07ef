package io.hilal.core.campaigns.mail;

import io.hilal.core.db.SecretFile;
import java.nio.file.Path;

/**
 * The link secret of an installation without {@code HILAL_LINK_SECRET}: generated at the first
 * start and kept in the data folder in a file only its owner can read ({@link SecretFile}), so that
 * links stay valid across restarts and every process on the same folder (service, worker, CLI)
 * signs with the same secret, which is nowhere else.
 */
public final class LinkSecretFile {
    public static final String NAME = "link-secret";

    private LinkSecretFile() {}

    /** The secret kept in {@code folder}, created there first if there is none. */
    public static String readOrCreate(Path folder) {
        return SecretFile.readOrCreate(folder.resolve(NAME), "link secret");
    }
}
