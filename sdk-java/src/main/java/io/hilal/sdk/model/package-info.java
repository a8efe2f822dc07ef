/**
 * What Hilal answers, as immutable records: customers, products, recommendation rows and lists,
 * batch results, campaigns with their previews and ledgers, lift reports, models and pages of
 * lists. The records keep to the service's JSON field names, and contract fixtures shared with the
 * service's tests keep them in step.
 *
 * <p><b>Null-safety.</b> A component whose Javadoc says "or null" (or "null when …") may be null;
 * lists and maps are never null (an absent one reads as empty); every other component is never null
 * in an answer from Hilal. Fields this SDK version does not know are ignored, and fields a newer
 * SDK knows but an older Hilal does not send (such as a recommended item's display fields) read as
 * null.
 */
package io.hilal.sdk.model;
