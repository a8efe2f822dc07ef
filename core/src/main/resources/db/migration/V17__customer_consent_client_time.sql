-- When a customer's email consent was received is the server's clock (email_consent_at); the time
-- a client says the consent was given is kept apart, as the client's claim.
ALTER TABLE customers ADD COLUMN email_consent_client_at DATETIME(3) NULL AFTER email_consent_at;
