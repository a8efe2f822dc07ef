package io.hilal.service.dashboard;

import io.hilal.core.campaigns.SenderIdentity;
import io.hilal.core.error.FieldError;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The sender page's form: who the shop's campaign mail is from, where replies go, the postal
 * address every email carries and the website product links fall back to. {@code saved} says when
 * it was last set ("not set yet": no campaign can launch); after a refusal the fields hold what was
 * typed and {@code errors} says why, field by field.
 */
record SenderForm(
        String fromAddress,
        String fromName,
        String replyTo,
        String postalAddress,
        String websiteUrl,
        String saved,
        boolean canEdit,
        String campaign,
        List<FieldError> errors,
        boolean refused) {

    private static final DateTimeFormatter SAVED =
            DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH);

    /** The form as the sender stands (null: none yet). */
    static SenderForm of(SenderIdentity sender, boolean canEdit, String campaign) {
        if (sender == null) {
            return new SenderForm("", "", "", "", "", null, canEdit, campaign, List.of(), false);
        }
        return new SenderForm(
                orEmpty(sender.fromAddress()),
                orEmpty(sender.fromName()),
                orEmpty(sender.replyTo()),
                orEmpty(sender.postalAddress()),
                orEmpty(sender.websiteUrl()),
                sender.updatedAt() == null
                        ? "set"
                        : "set on " + SAVED.format(sender.updatedAt().atZone(ZoneOffset.UTC)),
                canEdit,
                campaign,
                List.of(),
                false);
    }

    /** The form after {@code typed} was refused for {@code errors}: nothing was changed. */
    static SenderForm refused(
            SenderIdentity stored, SenderIdentity typed, String campaign, List<FieldError> errors) {
        SenderForm now = of(stored, true, campaign);
        return new SenderForm(
                orEmpty(typed.fromAddress()),
                orEmpty(typed.fromName()),
                orEmpty(typed.replyTo()),
                orEmpty(typed.postalAddress()),
                orEmpty(typed.websiteUrl()),
                now.saved,
                true,
                campaign,
                errors,
                true);
    }

    /** What a field of the form means: a blank one is not given. */
    static String given(String field) {
        return field == null || field.isBlank() ? null : field.strip();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
