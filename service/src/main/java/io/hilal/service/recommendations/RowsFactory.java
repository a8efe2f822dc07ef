package io.hilal.service.recommendations;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.hilal.core.reco.CategoryCap;
import io.hilal.core.reco.RowsSettings;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;

/**
 * How the rows API builds pages ({@code rows:} in service.yml). The defaults are what measured well
 * offline (EVALUATION.md): no category cap, the search row on, searches kept out of "Picked for
 * you".
 */
public class RowsFactory {
    /** The most of a row one category may fill; 1 caps nothing. */
    @DecimalMin(value = "0.0", inclusive = false)
    @DecimalMax("1.0")
    private double rowCategoryShare = RowsSettings.DEFAULTS.diversity().rowShare();

    /** The most of the page (rows × products per row) one category may fill; 1 caps nothing. */
    @DecimalMin(value = "0.0", inclusive = false)
    @DecimalMax("1.0")
    private double pageCategoryShare = RowsSettings.DEFAULTS.diversity().pageShare();

    /** Whether a customer's recent search earns a "Because you searched for" row. */
    private boolean searchRow = RowsSettings.DEFAULTS.searchRow();

    /** Whether the products answering a recent search join the customer's own in the fold-in. */
    private boolean searchesInPersonalModel = RowsSettings.DEFAULTS.searchesInPersonalModel();

    @JsonProperty
    public double getRowCategoryShare() {
        return rowCategoryShare;
    }

    @JsonProperty
    public void setRowCategoryShare(double rowCategoryShare) {
        this.rowCategoryShare = rowCategoryShare;
    }

    @JsonProperty
    public double getPageCategoryShare() {
        return pageCategoryShare;
    }

    @JsonProperty
    public void setPageCategoryShare(double pageCategoryShare) {
        this.pageCategoryShare = pageCategoryShare;
    }

    @JsonProperty
    public boolean isSearchRow() {
        return searchRow;
    }

    @JsonProperty
    public void setSearchRow(boolean searchRow) {
        this.searchRow = searchRow;
    }

    @JsonProperty
    public boolean isSearchesInPersonalModel() {
        return searchesInPersonalModel;
    }

    @JsonProperty
    public void setSearchesInPersonalModel(boolean searchesInPersonalModel) {
        this.searchesInPersonalModel = searchesInPersonalModel;
    }

    public RowsSettings build() {
        return new RowsSettings(
                new CategoryCap(rowCategoryShare, pageCategoryShare),
                searchRow,
                searchesInPersonalModel);
    }
}
