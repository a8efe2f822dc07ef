package io.hilal.core.reco;

/**
 * How a tenant's pages are built, where the rows' makers let the operator choose: the category cap
 * (diversity), whether a recent search earns a "Because you searched for" row, and whether the
 * products answering it join the customer's own products in "Picked for you".
 */
public record RowsSettings(
        CategoryCap diversity, boolean searchRow, boolean searchesInPersonalModel) {
    /** Every signal that measured well offline, and the search row (see EVALUATION.md). */
    public static final RowsSettings DEFAULTS = new RowsSettings(CategoryCap.OFF, true, false);

    public RowsSettings {
        if (diversity == null) {
            throw new IllegalArgumentException("diversity is required (CategoryCap.OFF for none)");
        }
    }

    public RowsSettings withDiversity(CategoryCap cap) {
        return new RowsSettings(cap, searchRow, searchesInPersonalModel);
    }
}
