-- Hilal schema, version 7: who may sign in to the dashboard, and their sessions.

-- A person who signs in with an email and a password. The email is unique across tenants because
-- signing in is how the tenant is learnt (as with an API key's id), so this one index cannot lead
-- with tenant_id. The password is stored as a PBKDF2 hash with its own salt and iteration count.
CREATE TABLE dashboard_users (
    tenant_id      VARCHAR(40)   NOT NULL,
    user_id        VARCHAR(40)   NOT NULL,
    email          VARCHAR(320)  NOT NULL,
    password_hash  VARCHAR(255)  NOT NULL,
    created_at     DATETIME(3)   NOT NULL,
    disabled_at    DATETIME(3)   NULL,
    PRIMARY KEY (tenant_id, user_id),
    UNIQUE KEY uk_dashboard_users_email (email),
    CONSTRAINT fk_dashboard_users_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a copy of
-- this table signs nobody in. A session names what it was opened with (a dashboard user or an API
-- key) and ends when that is disabled or revoked, at expires_at, or at sign-out (row deleted).
-- The CSRF token is not a credential on its own: it is useless without the session cookie.
-- Looking a session up by its token is how the tenant is learnt, hence the unique token index;
-- the expiry index serves the cross-tenant sweep of expired rows.
CREATE TABLE dashboard_sessions (
    tenant_id     VARCHAR(40)   NOT NULL,
    session_id    VARCHAR(40)   NOT NULL,
    token_hash    BINARY(32)    NOT NULL,
    csrf_token    CHAR(64)      NOT NULL,
    kind          VARCHAR(16)   NOT NULL,
    subject_id    VARCHAR(40)   NOT NULL,
    display_name  VARCHAR(320)  NOT NULL,
    created_at    DATETIME(3)   NOT NULL,
    expires_at    DATETIME(3)   NOT NULL,
    PRIMARY KEY (tenant_id, session_id),
    UNIQUE KEY uk_dashboard_sessions_token (token_hash),
    KEY ix_dashboard_sessions_expiry (expires_at),
    CONSTRAINT fk_dashboard_sessions_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
