-- Hilal schema, version 44: a pod's password may come from the environment.
--
-- db_password_env names an environment variable (HILAL_POD_EU2_PASSWORD) that each process reads
-- when it connects to the pod; only the name is stored. Rows with db_password keep working: an
-- inline password, stored in this table, as pods were added before.
ALTER TABLE pods ADD COLUMN db_password_env VARCHAR(200) NULL AFTER db_password;
