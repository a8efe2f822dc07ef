package io.hilal.core.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TenantLabelsTest {
    @Test
    void theFirstTenantsGetTheirOwnLabelAndTheRestCountAsOther() {
        TenantLabels labels = new TenantLabels(2);

        assertThat(labels.label("ten_a", 1)).isEqualTo("ten_a");
        assertThat(labels.label("ten_b", 1)).isEqualTo("ten_b");
        assertThat(labels.label("ten_c", 1)).isEqualTo(TenantLabels.OTHER);
        assertThat(labels.label("ten_a", 1)).isEqualTo("ten_a");
    }

    @Test
    void aTenantThatBecomesOneOfTheBusiestGetsALabelAtTheNextRanking() {
        TenantLabels labels = new TenantLabels(2);
        labels.label("ten_a", 1);
        labels.label("ten_b", 1);
        assertThat(labels.label("ten_busy", 1_000)).isEqualTo(TenantLabels.OTHER);

        labels.rerank();

        assertThat(labels.label("ten_busy", 1)).isEqualTo("ten_busy");
        assertThat(labels.label("ten_a", 1)).as("a label once given stays").isEqualTo("ten_a");
    }

    @Test
    void noMoreThanTwiceTheLimitOfTenantsEverGetALabel() {
        TenantLabels labels = new TenantLabels(3);
        for (int round = 0; round < 50; round++) {
            for (int tenant = 0; tenant < 20; tenant++) {
                // Each round a different set of tenants is the busiest.
                labels.label("ten_" + tenant, tenant % 7 == round % 7 ? 1_000 * (round + 1) : 1);
            }
            labels.rerank();
        }

        assertThat(labels.labelCount()).isEqualTo(6);
    }
}
