package io.hilal.worker.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.hilal.core.reco.ModelRetention;
import jakarta.validation.constraints.Min;
import org.jdbi.v3.core.Jdbi;

/**
 * How many stored versions of each model kind a tenant keeps: after each training run, older ones
 * are deleted, except active versions and a running experiment's arms. At least two, so that the
 * version a run replaced stays readable to a service still loading it.
 */
public class ModelRetentionFactory {
    @Min(2)
    private int keepVersions = ModelRetention.DEFAULT_KEEP;

    @JsonProperty
    public int getKeepVersions() {
        return keepVersions;
    }

    @JsonProperty
    public void setKeepVersions(int keepVersions) {
        this.keepVersions = keepVersions;
    }

    /** {@code jdbi}: the tenants' data, routed to each tenant's pod. */
    public ModelRetention build(Jdbi jdbi) {
        return new ModelRetention(jdbi, keepVersions);
    }
}
