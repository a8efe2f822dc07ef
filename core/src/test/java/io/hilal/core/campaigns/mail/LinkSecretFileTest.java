package io.hilal.core.campaigns.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hilal.core.db.DatabaseFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkSecretFileTest {
    @TempDir Path folder;

    @Test
    void anInstallationMakesItsOwnSecretOnceReadableByItsOwnerOnly() throws Exception {
        String first = LinkSecretFile.readOrCreate(folder);
        Path file = folder.resolve(LinkSecretFile.NAME);
        assertThat(first).matches("[0-9a-f]{64}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(LinkSecretFile.readOrCreate(folder)).isEqualTo(first);
        assertThat(Files.list(folder)).containsExactly(file);
    }

    @Test
    void twoInstallationsHaveDifferentSecrets() {
        assertThat(LinkSecretFile.readOrCreate(folder.resolve("a")))
                .isNotEqualTo(LinkSecretFile.readOrCreate(folder.resolve("b")));
    }

    @Test
    void aSecretFileOthersCanReadIsTightened() throws Exception {
        String secret = LinkSecretFile.readOrCreate(folder);
        Path file = folder.resolve(LinkSecretFile.NAME);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(LinkSecretFile.readOrCreate(folder)).isEqualTo(secret);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void aTruncatedSecretFileIsRefusedNotUsed() throws Exception {
        Files.writeString(folder.resolve(LinkSecretFile.NAME), "short\n");
        assertThatThrownBy(() -> LinkSecretFile.readOrCreate(folder))
                .hasMessageContaining("does not hold a link secret");
    }

    @Test
    void anEmbeddedSetupSignsWithItsOwnSecretAndAnExternalOneRefusesToStartWithout() {
        DatabaseFactory embedded = new DatabaseFactory();
        embedded.setDataDir(folder.toString());
        MailLinks.Recipient recipient = new MailLinks.Recipient("ten_a", "cmp_a", "r1", "c-1");
        String token =
                new MailLinksFactory()
                        .build(embedded)
                        .token(MailLinks.Kind.UNSUBSCRIBE, recipient, null, null);
        MailLinks own =
                new MailLinks(
                        LinkSecretFile.readOrCreate(folder)
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "http://localhost",
                        "u@x");
        assertThat(own.verify(MailLinks.Kind.UNSUBSCRIBE, token)).isPresent();

        DatabaseFactory external = new DatabaseFactory();
        external.setUrl("jdbc:mysql://db.internal:3306/hilal");
        assertThatThrownBy(() -> new MailLinksFactory().build(external))
                .hasMessageContaining("HILAL_LINK_SECRET is not set")
                .hasMessageContaining("every service and worker instance");
    }
}
