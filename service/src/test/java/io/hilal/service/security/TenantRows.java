package io.hilal.service.security;

import io.hilal.core.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the database holds for one tenant, read straight from every table that has a {@code
 * tenant_id} column (found in the schema, so a table added tomorrow is read too): the side-effect
 * check of the isolation tests does not depend on the API it is checking. One connection, kept open
 * for the whole test class, and one query per look.
 */
final class TenantRows implements AutoCloseable {
    private final Connection connection;
    private final List<String> tables;
    private final Map<String, String> columns = new HashMap<>();
    private final Map<String, String> keys = new HashMap<>();

    TenantRows(String url) {
        try {
            connection = TestDatabase.dataSource(url).getConnection();
            List<String> found = new ArrayList<>();
            try (PreparedStatement statement =
                    connection.prepareStatement(
                            "SELECT table_name FROM information_schema.columns"
                                    + " WHERE table_schema = DATABASE() AND column_name = 'tenant_id'"
                                    + " ORDER BY table_name")) {
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        found.add(rows.getString(1));
                    }
                }
            }
            tables = List.copyOf(found);
            for (String table : tables) {
                columns.put(table, columnList(table, false));
                keys.put(table, columnList(table, true));
            }
            try (var statement = connection.createStatement()) {
                statement.execute("SET SESSION group_concat_max_len = 1073741824");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The table's columns (or its primary key's), as SQL: each NULL-safe, comma-separated. */
    private String columnList(String table, boolean keyOnly) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement statement =
                connection.prepareStatement(
                        "SELECT column_name, data_type FROM information_schema.columns"
                                + " WHERE table_schema = DATABASE() AND table_name = ?"
                                + (keyOnly ? " AND column_key = 'PRI'" : "")
                                + " ORDER BY ordinal_position")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String column = "`" + rows.getString(1) + "`";
                    boolean binary =
                            rows.getString(2).contains("binary")
                                    || rows.getString(2).contains("blob");
                    names.add(
                            keyOnly
                                    ? column
                                    : "IFNULL("
                                            + (binary ? "HEX(" + column + ")" : column)
                                            + ", '<null>')");
                }
            }
        }
        return names.isEmpty() ? "1" : String.join(", ", names);
    }

    List<String> tables() {
        return tables;
    }

    /**
     * A digest of the tenant's rows in every table but {@code ignored}, read in one round trip: per
     * table, the row count and the MD5 of all its rows' values in primary-key order. Equal digests
     * mean nothing of the tenant's was written.
     */
    String of(String tenantId, Set<String> ignored) {
        List<String> parts = new ArrayList<>();
        for (String table : tables) {
            if (!ignored.contains(table)) {
                parts.add(
                        "SELECT '"
                                + table
                                + "', COUNT(*), MD5(GROUP_CONCAT(CONCAT_WS('|', "
                                + columns.get(table)
                                + ") ORDER BY "
                                + keys.get(table)
                                + " SEPARATOR '\\n')) FROM `"
                                + table
                                + "` WHERE tenant_id = ?");
            }
        }
        StringBuilder digest = new StringBuilder();
        try (PreparedStatement statement =
                connection.prepareStatement(String.join(" UNION ALL ", parts))) {
            for (int i = 1; i <= parts.size(); i++) {
                statement.setString(i, tenantId);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    digest.append(rows.getString(1))
                            .append(' ')
                            .append(rows.getLong(2))
                            .append(' ')
                            .append(rows.getString(3))
                            .append('\n');
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return digest.toString();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
