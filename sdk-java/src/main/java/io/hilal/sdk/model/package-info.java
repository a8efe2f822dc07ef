/**
 * What Hilal answers, as immutable records: customers, products, recommendation rows and lists,
 * batch results, campaigns with their previews and ledgers, lift reports, and pages of lists. The
 * records keep to the service's JSON field names, and contract fixtures shared with the service's
 * tests keep them in step.
 */
package io.hilal.sdk.model;
