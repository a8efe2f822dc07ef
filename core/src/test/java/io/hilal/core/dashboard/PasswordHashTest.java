package io.hilal.core.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHashTest {
    @Test
    void verifiesTheRightPasswordOnly() {
        String stored = PasswordHash.hash("correct horse battery".toCharArray(), 1_000);

        assertThat(PasswordHash.verify("correct horse battery".toCharArray(), stored)).isTrue();
        assertThat(PasswordHash.verify("correct horse batterY".toCharArray(), stored)).isFalse();
    }

    @Test
    void storesAlgorithmIterationsAndAFreshSaltWithEachHash() {
        String first = PasswordHash.hash("same password".toCharArray(), 1_000);
        String second = PasswordHash.hash("same password".toCharArray(), 1_000);

        assertThat(first).startsWith("pbkdf2-sha256$1000$").isNotEqualTo(second);
        assertThat(PasswordHash.hash("x".toCharArray())).startsWith("pbkdf2-sha256$600000$");
    }

    @Test
    void aMalformedStoredHashMatchesNothing() {
        for (String stored :
                new String[] {null, "", "plain", "md5$1$abc$def", "pbkdf2-sha256$x$abc$def"}) {
            assertThat(PasswordHash.verify("anything".toCharArray(), stored)).as(stored).isFalse();
        }
    }
}
