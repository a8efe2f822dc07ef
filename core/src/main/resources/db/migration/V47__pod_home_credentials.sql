-- Hilal schema, version 47: a pod uses the home database's credentials only when asked to.
--
-- A pod added with neither a password nor a password variable used to connect with the home
-- database's password, silently. Now the operator says so (home_credentials); without it, such a
-- pod is refused when added. Pods added that way before keep working: they are marked as asking.
ALTER TABLE pods ADD COLUMN home_credentials BOOLEAN NOT NULL DEFAULT FALSE AFTER db_password_env;

UPDATE pods SET home_credentials = TRUE
WHERE pod_id <> 'home' AND db_password IS NULL AND db_password_env IS NULL;
