package io.hilal.core.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

/**
 * Who may use the embedded MariaDB: one account, {@value #USER}@127.0.0.1, whose random password is
 * kept in the server's folder for its owner only. The server runs with its grant tables, and at
 * every start (from an init file) it removes every other account that could connect over TCP
 * (anonymous ones, root from anything but the socket) and makes sure this one exists with the kept
 * password: a data folder made by a version that ran without grant tables becomes access-controlled
 * on its first start with this one, and keeps its data. The folder itself (data, socket, the
 * password) is readable by its owner only.
 */
final class EmbeddedAccess {
    static final String USER = "hilal";
    static final String PASSWORD_FILE = "password";
    private static final String INIT_FILE = "init.sql";

    private EmbeddedAccess() {}

    /** Makes {@code folder} its owner's alone: others can then reach nothing inside it. */
    static void ownerOnly(Path folder) throws IOException {
        Files.createDirectories(folder);
        EnumSet<PosixFilePermission> owner =
                EnumSet.of(
                        PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE);
        if (!Files.getPosixFilePermissions(folder).equals(owner)) {
            Files.setPosixFilePermissions(folder, owner);
        }
    }

    /** The account's password, made at the first start. */
    static String password(Path folder) {
        return SecretFile.readOrCreate(
                folder.resolve(PASSWORD_FILE), "password of the embedded database");
    }

    /**
     * Writes the statements the server runs as it starts (its {@code --init-file}), readable by its
     * owner only, and returns the file; delete it once the server is up.
     */
    static Path writeInitFile(Path folder, String password) throws IOException {
        Path file = folder.resolve(INIT_FILE);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(SecretFile.OWNER_ONLY));
        Files.writeString(file, initSql(password), StandardCharsets.UTF_8);
        return file;
    }

    /** The password is 64 hex digits ({@link SecretFile}), so it needs no quoting. */
    static String initSql(String password) {
        if (!password.matches("[0-9a-f]+")) {
            throw new IllegalArgumentException("not a generated password");
        }
        String account = "'" + USER + "'@'127.0.0.1'";
        return String.join(
                "\n",
                // mysql_install_db makes anonymous accounts and, depending on its options,
                // password-less root accounts for 127.0.0.1, ::1 and the host name: none may stay.
                // root@localhost connects over the socket only, inside this owner-only folder.
                "DELETE FROM mysql.global_priv WHERE User = ''"
                        + " OR (User = 'root' AND Host <> 'localhost')"
                        + " OR User NOT IN ('root', 'mariadb.sys', '"
                        + USER
                        + "');",
                "DELETE FROM mysql.db WHERE User = '';",
                "DELETE FROM mysql.proxies_priv WHERE User = '' OR Host <> 'localhost';",
                "FLUSH PRIVILEGES;",
                "CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY '" + password + "';",
                "ALTER USER " + account + " IDENTIFIED BY '" + password + "';",
                "GRANT ALL PRIVILEGES ON *.* TO " + account + ";",
                "");
    }
}
