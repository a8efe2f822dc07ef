package io.hilal.service.dashboard;

import io.hilal.core.program.ProgramHoldout;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * The Lift page's form for the program holdout's share, in percent as a marketer says it (the API's
 * {@code PUT /v1/program-holdout} takes the fraction): the share now, what the field shows (what
 * was typed, after a refusal) and why it was refused.
 */
record ProgramControl(String current, String value, String max, String error) {

    /** The form as the share stands. */
    static ProgramControl of(ProgramHoldout holdout) {
        String percent = percent(holdout.share());
        return new ProgramControl(
                holdout.on() ? percent + "%" : "off",
                percent,
                percent(ProgramHoldout.MAX_SHARE),
                null);
    }

    /** The form after {@code typed} was refused: it shows what was typed and why. */
    static ProgramControl refused(ProgramHoldout holdout, String typed) {
        ProgramControl control = of(holdout);
        return new ProgramControl(
                control.current,
                typed == null ? "" : typed,
                control.max,
                "The share must be a number from 0 (off) to "
                        + control.max
                        + " (percent of customers). Nothing was changed.");
    }

    /**
     * The share a field in percent means, as a fraction; null when it is not a plain decimal number
     * (the service then refuses it as it refuses a missing share).
     */
    static Double share(String percent) {
        if (percent == null || percent.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(percent.strip()).movePointLeft(2).doubleValue();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String percent(double share) {
        return new BigDecimal(Double.toString(share))
                .movePointRight(2)
                .stripTrailingZeros()
                .toPlainString()
                .toLowerCase(Locale.ROOT);
    }
}
