package io.hilal.core.db;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads the server settings that decide whether a committed write survives a crash. Hilal
 * acknowledges ingest only after commit, so a server that flushes its log lazily can lose events we
 * have already promised to keep.
 */
public final class DurabilityCheck {
    private DurabilityCheck() {}

    /** What the server does that can lose acknowledged writes; empty when it is durable. */
    public static List<String> risks(Jdbi jdbi) {
        return jdbi.withHandle(
                handle -> {
                    List<String> risks = new ArrayList<>();
                    String flush = variable(handle, "innodb_flush_log_at_trx_commit");
                    if (flush != null && !"1".equals(flush)) {
                        risks.add(
                                "innodb_flush_log_at_trx_commit="
                                        + flush
                                        + " (commits can be lost on a crash; set it to 1)");
                    }
                    String logBin = variable(handle, "log_bin");
                    String syncBinlog = variable(handle, "sync_binlog");
                    if (isOn(logBin) && syncBinlog != null && !"1".equals(syncBinlog)) {
                        risks.add(
                                "sync_binlog="
                                        + syncBinlog
                                        + " with binary logging on (replicas can miss commits; set it to 1)");
                    }
                    return risks;
                });
    }

    private static String variable(org.jdbi.v3.core.Handle handle, String name) {
        return handle.createQuery("SHOW GLOBAL VARIABLES LIKE :name")
                .bind("name", name)
                .map((rs, ctx) -> rs.getString(2))
                .findOne()
                .orElse(null);
    }

    private static boolean isOn(String value) {
        return value != null && (value.equalsIgnoreCase("ON") || value.equals("1"));
    }
}
