package io.hilal.core.reco;

import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes a tenant's old model versions after a training stored new ones, so that its artifacts
 * take at most {@code keep} versions per kind (besides active ones and running experiments' arms:
 * {@link VersionRetention}). A version's row goes first, in one statement that checks again that
 * nothing serves it: from then on no reader finds the version. Its chunks follow in batches of a
 * few, each its own transaction, however large the artifact; a deletion cut short leaves chunks
 * without a row, which no reader reaches and the next run deletes.
 */
public final class ModelRetention {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRetention.class);

    /** Versions kept per kind when not configured. */
    public static final int DEFAULT_KEEP = 5;

    /** Chunks per deleting statement: 32 MiB of artifact at most in one transaction. */
    static final int CHUNKS_PER_DELETE = 64;

    private final Jdbi jdbi;
    private final int keep;
    private final int chunksPerDelete;

    /** {@code jdbi}: the tenants' data (routed to the tenant's pod when called in its scope). */
    public ModelRetention(Jdbi jdbi, int keep) {
        this(jdbi, keep, CHUNKS_PER_DELETE);
    }

    ModelRetention(Jdbi jdbi, int keep, int chunksPerDelete) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least one version, not " + keep);
        }
        this.jdbi = jdbi;
        this.keep = keep;
        this.chunksPerDelete = chunksPerDelete;
    }

    /** What a run deleted: versions, and the bytes of their artifacts. */
    public record Freed(int versions, long bytes) {
        public static final Freed NONE = new Freed(0, 0);
    }

    /** The versions kept per kind. */
    public int keep() {
        return keep;
    }

    /**
     * Deletes the tenant's versions past the newest {@code keep} of each kind, and what a run cut
     * short left. A failure midway (the database went away) stops it: what it deleted by then is
     * returned, and the next run goes on from there.
     */
    public Freed prune(String tenantId) {
        ModelDao models = jdbi.onDemand(ModelDao.class);
        int versions = 0;
        long bytes = 0;
        try {
            for (VersionRetention.Stored old :
                    VersionRetention.toDelete(models.retained(tenantId), keep)) {
                if (deleteVersion(tenantId, old)) {
                    versions++;
                    bytes += old.sizeBytes();
                    deleteChunks(models, tenantId, old.kind(), old.version());
                }
            }
            List<ModelDao.KindVersion> orphaned = models.orphanedChunks(tenantId);
            for (ModelDao.KindVersion left : orphaned) {
                deleteChunks(models, tenantId, left.kind(), left.version());
            }
            if (!orphaned.isEmpty()) {
                LOG.info(
                        "Deleted the chunks left of {} model versions of {} whose deletion was"
                                + " cut short",
                        orphaned.size(),
                        tenantId);
            }
        } catch (RuntimeException e) {
            LOG.warn(
                    "Stopped deleting the old model versions of {} ({}); its next training run"
                            + " goes on",
                    tenantId,
                    e.toString());
        }
        if (versions > 0) {
            LOG.info(
                    "Deleted {} old model versions of {} ({} bytes), keeping the newest {} of each"
                            + " kind",
                    versions,
                    tenantId,
                    bytes,
                    keep);
        }
        return new Freed(versions, bytes);
    }

    /**
     * Deletes the version's row unless something serves it now. The row is locked first, in a
     * statement of its own: an experiment being started on it holds it until that commits, and the
     * deleting statement, which starts after, then reads the experiment and keeps the row.
     */
    private boolean deleteVersion(String tenantId, VersionRetention.Stored old) {
        return jdbi.inTransaction(
                handle -> {
                    ModelDao models = handle.attach(ModelDao.class);
                    return models.lockVersion(tenantId, old.kind(), old.version())
                            && models.deleteVersion(tenantId, old.kind(), old.version()) == 1;
                });
    }

    private void deleteChunks(ModelDao models, String tenantId, String kind, int version) {
        int deleted;
        do {
            deleted = models.deleteChunks(tenantId, kind, version, chunksPerDelete);
        } while (deleted == chunksPerDelete);
    }
}
