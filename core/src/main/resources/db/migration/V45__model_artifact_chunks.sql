-- Hilal schema, version 45: model artifacts stored in chunks.
--
-- One LONGBLOB row cannot hold an artifact larger than the server's max_allowed_packet (MariaDB's
-- and MySQL's hard ceiling is 1 GiB; the embedded server's is 64 MiB), so a large tenant's training
-- failed at its store step. A version's artifact is now its chunks here, in order of seq, written
-- in the transaction of its model_versions row (whose artifact is then NULL). Versions stored
-- before keep their single artifact column and are read from it.
CREATE TABLE model_artifact_chunks (
    tenant_id   VARCHAR(40)  NOT NULL,
    kind        VARCHAR(32)  NOT NULL,
    version     INT          NOT NULL,
    seq         INT          NOT NULL,
    -- When the chunk was written (chunks never change): the tenant mover's catch-up copies only
    -- the chunks written since its copy began, not every artifact again.
    updated_at  DATETIME(3)  NOT NULL,
    data        MEDIUMBLOB   NOT NULL,
    PRIMARY KEY (tenant_id, kind, version, seq),
    KEY ix_model_artifact_chunks_updated (tenant_id, updated_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

ALTER TABLE model_versions MODIFY artifact LONGBLOB NULL;
