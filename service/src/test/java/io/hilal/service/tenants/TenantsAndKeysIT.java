package io.hilal.service.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class TenantsAndKeysIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();

    private Api operator() {
        return new Api(APP.getLocalPort(), TestApps.OPERATOR_KEY);
    }

    @Test
    void operatorCreatesATenantWithAnAllScopesKeyShownOnce() {
        Api.Reply reply = operator().post("/v1/operator/tenants", "{\"name\": \"Souq\"}");
        assertThat(reply.status()).isEqualTo(201);
        String apiKey = reply.json().get("apiKey").asText();
        assertThat(apiKey).matches("hk_live_[0-9a-f]{16}_[0-9a-f]{64}");
        assertThat(reply.json().get("tenantId").asText()).startsWith("ten_");
        assertThat(reply.json().at("/key/scopes").toString())
                .isEqualTo("[\"ingest\",\"read\",\"campaigns\",\"admin\"]");

        Api.Reply keys = new Api(APP.getLocalPort(), apiKey).get("/v1/api-keys");
        assertThat(keys.status()).isEqualTo(200);
        assertThat(keys.body()).doesNotContain(apiKey.substring(25));
        assertThat(keys.json().at("/items/0/apiKey").isMissingNode()).isTrue();
    }

    @Test
    void operatorApiRefusesAWrongOrMissingOperatorKey() {
        Api.Reply wrong =
                new Api(APP.getLocalPort(), "not-the-operator-key")
                        .post("/v1/operator/tenants", "{\"name\": \"x\"}");
        Api.Reply missing = new Api(APP.getLocalPort(), null).get("/v1/operator/tenants");
        String[] tenant = Api.newTenant(APP.getLocalPort(), "tenant-key-is-not-operator");
        Api.Reply tenantKey = new Api(APP.getLocalPort(), tenant[1]).get("/v1/operator/tenants");
        for (Api.Reply reply : List.of(wrong, missing, tenantKey)) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.contentType()).isEqualTo("application/problem+json");
            assertThat(reply.json().get("code").asText()).isEqualTo("unauthorized");
        }
    }

    @Test
    void aRevokedKeyIsRefusedOnItsNextRequest() {
        String[] tenant = Api.newTenant(APP.getLocalPort(), "revokes");
        Api admin = new Api(APP.getLocalPort(), tenant[1]);
        Api.Reply created =
                admin.post("/v1/api-keys", "{\"name\": \"pos\", \"scopes\": [\"read\"]}");
        assertThat(created.status()).isEqualTo(201);
        Api reader = admin.as(created.json().get("apiKey").asText());
        assertThat(reader.get("/v1/overview").status()).isEqualTo(200);

        Api.Reply revoked = admin.delete("/v1/api-keys/" + created.json().get("keyId").asText());
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().get("revokedAt").isNull()).isFalse();

        Api.Reply refused = reader.get("/v1/overview");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("code").asText()).isEqualTo("unauthorized");
    }

    @Test
    void aKeyWithoutTheScopeGetsForbidden() {
        String[] tenant = Api.newTenant(APP.getLocalPort(), "scopes");
        Api admin = new Api(APP.getLocalPort(), tenant[1]);
        String readOnly =
                admin.post("/v1/api-keys", "{\"scopes\": [\"read\"]}")
                        .json()
                        .get("apiKey")
                        .asText();
        Api.Reply reply =
                admin.as(readOnly)
                        .post(
                                "/v1/events",
                                "{\"events\": [{\"messageId\": \"m\", \"type\": \"search\","
                                        + " \"customerId\": \"c\", \"query\": \"dates\"}]}");
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().get("code").asText()).isEqualTo("insufficient_scope");
        assertThat(admin.get("/v1/overview").json().get("events").asLong()).isZero();
    }

    @Test
    void keysWithATamperedSecretOrAnotherShapeAreRefused() {
        String[] tenant = Api.newTenant(APP.getLocalPort(), "tamper");
        String key = tenant[1];
        String tampered = key.substring(0, key.length() - 1) + (key.endsWith("0") ? "1" : "0");
        for (String token : List.of(tampered, "hk_live_short_secret", "Basic abc", "")) {
            Api.Reply reply = new Api(APP.getLocalPort(), token).get("/v1/overview");
            assertThat(reply.status()).as(token).isEqualTo(401);
        }
    }

    @Test
    void noTableHoldsAnyKeySecret() {
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String[] tenant = Api.newTenant(APP.getLocalPort(), "secrets-" + i);
            secrets.add(tenant[1]);
            JsonNode extra =
                    new Api(APP.getLocalPort(), tenant[1])
                            .post("/v1/api-keys", "{\"scopes\": [\"ingest\"]}")
                            .json();
            secrets.add(extra.get("apiKey").asText());
        }
        Jdbi jdbi =
                Jdbi.create(
                        APP.getConfiguration().getDatabase().getUrl(),
                        TestDatabase.user(),
                        TestDatabase.password());
        String dump =
                jdbi.withHandle(
                        handle -> {
                            StringBuilder all = new StringBuilder();
                            for (String table :
                                    handle.createQuery(
                                                    "SELECT table_name FROM information_schema.tables"
                                                            + " WHERE table_schema = DATABASE()")
                                            .mapTo(String.class)
                                            .list()) {
                                handle.createQuery("SELECT * FROM `" + table + "`")
                                        .mapToMap()
                                        .forEach(
                                                row ->
                                                        row.values()
                                                                .forEach(
                                                                        value ->
                                                                                all.append(
                                                                                                value
                                                                                                                instanceof
                                                                                                                byte
                                                                                                                                        []
                                                                                                                                bytes
                                                                                                        ? java
                                                                                                                .util
                                                                                                                .HexFormat
                                                                                                                .of()
                                                                                                                .formatHex(
                                                                                                                        bytes)
                                                                                                        : String
                                                                                                                .valueOf(
                                                                                                                        value))
                                                                                        .append(
                                                                                                '\n')));
                            }
                            return all.toString();
                        });
        assertThat(dump).contains("secrets-0");
        for (String secret : secrets) {
            String secretPart = secret.substring(secret.lastIndexOf('_') + 1);
            assertThat(dump).doesNotContain(secretPart);
            assertThat(dump).doesNotContain(secret);
        }
    }

    @Test
    void pingNamesTheTenantOfTheKey() {
        String[] tenant = Api.newTenant(APP.getLocalPort(), "ping");
        Api.Reply reply = new Api(APP.getLocalPort(), tenant[1]).get("/v1/ping");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("tenantId").asText()).isEqualTo(tenant[0]);
    }
}
