-- Hilal schema, version 1: tenants and API keys, the catalog (customers, products) and events.
-- Every timestamp is UTC. Ids are case-sensitive (utf8mb4_bin). Tenant-scoped tables lead with
-- tenant_id in the primary key and in every index.

CREATE TABLE tenants (
    tenant_id   VARCHAR(40)  NOT NULL,
    name        VARCHAR(200) NOT NULL,
    time_zone   VARCHAR(64)  NOT NULL,
    created_at  DATETIME(3)  NOT NULL,
    PRIMARY KEY (tenant_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Only a SHA-256 of the key's secret is stored. The key id is globally unique because a request
-- names only its key: the key is how the tenant is found, so this one index cannot lead with it.
CREATE TABLE api_keys (
    tenant_id    VARCHAR(40)  NOT NULL,
    key_id       VARCHAR(40)  NOT NULL,
    secret_hash  BINARY(32)   NOT NULL,
    scopes       VARCHAR(100) NOT NULL,
    name         VARCHAR(200) NOT NULL,
    created_at   DATETIME(3)  NOT NULL,
    revoked_at   DATETIME(3)  NULL,
    PRIMARY KEY (tenant_id, key_id),
    UNIQUE KEY uk_api_keys_key_id (key_id),
    CONSTRAINT fk_api_keys_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE customers (
    tenant_id             VARCHAR(40)  NOT NULL,
    customer_id           VARCHAR(128) NOT NULL,
    email                 VARCHAR(320) NULL,
    time_zone             VARCHAR(64)  NULL,
    locale                VARCHAR(35)  NULL,
    email_consent         VARCHAR(16)  NULL,
    email_consent_source  VARCHAR(100) NULL,
    email_consent_at      DATETIME(3)  NULL,
    attributes            MEDIUMTEXT   NULL,
    created_at            DATETIME(3)  NOT NULL,
    updated_at            DATETIME(3)  NOT NULL,
    PRIMARY KEY (tenant_id, customer_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE products (
    tenant_id      VARCHAR(40)    NOT NULL,
    product_id     VARCHAR(128)   NOT NULL,
    title          VARCHAR(500)   NULL,
    category_path  VARCHAR(1000)  NULL,
    category       VARCHAR(200)   NULL,
    price          DECIMAL(19, 4) NULL,
    currency       CHAR(3)        NULL,
    available      BOOLEAN        NOT NULL,
    stock          INT            NULL,
    hidden         BOOLEAN        NOT NULL,
    image_url      VARCHAR(2048)  NULL,
    product_url    VARCHAR(2048)  NULL,
    attributes     MEDIUMTEXT     NULL,
    created_at     DATETIME(3)    NOT NULL,
    updated_at     DATETIME(3)    NOT NULL,
    PRIMARY KEY (tenant_id, product_id),
    KEY ix_products_category (tenant_id, category)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per acknowledged event. (tenant_id, message_id) is the idempotency key: a replayed
-- event is found here and acknowledged as a duplicate. The payload is the validated event as JSON.
CREATE TABLE events (
    tenant_id     VARCHAR(40)  NOT NULL,
    message_id    VARCHAR(100) NOT NULL,
    type          VARCHAR(64)  NOT NULL,
    customer_id   VARCHAR(128) NULL,
    anonymous_id  VARCHAR(128) NULL,
    product_id    VARCHAR(128) NULL,
    order_id      VARCHAR(128) NULL,
    occurred_at   DATETIME(3)  NOT NULL,
    received_at   DATETIME(3)  NOT NULL,
    payload       MEDIUMTEXT   NOT NULL,
    PRIMARY KEY (tenant_id, message_id),
    KEY ix_events_customer (tenant_id, customer_id, occurred_at),
    KEY ix_events_occurred (tenant_id, occurred_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Order and refund lines, one row per line, for the models, audiences and lift reports.
-- Refund lines carry a negative quantity.
CREATE TABLE order_lines (
    tenant_id    VARCHAR(40)    NOT NULL,
    message_id   VARCHAR(100)   NOT NULL,
    line_no      SMALLINT       NOT NULL,
    customer_id  VARCHAR(128)   NOT NULL,
    order_id     VARCHAR(128)   NOT NULL,
    product_id   VARCHAR(128)   NOT NULL,
    quantity     INT            NOT NULL,
    unit_price   DECIMAL(19, 4) NOT NULL,
    currency     CHAR(3)        NOT NULL,
    occurred_at  DATETIME(3)    NOT NULL,
    PRIMARY KEY (tenant_id, message_id, line_no),
    KEY ix_order_lines_customer (tenant_id, customer_id, occurred_at),
    KEY ix_order_lines_product (tenant_id, product_id, occurred_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
