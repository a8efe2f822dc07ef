package io.hilal.service.dashboard.charts;

import java.util.ArrayList;
import java.util.List;

/**
 * "Nice" axis ticks (1, 2, 2.5 or 5 times a power of ten) covering a range, so an axis reads 0,
 * 500, 1,000 rather than 0, 437, 874.
 */
record Ticks(double min, double max, double step) {
    static Ticks covering(double low, double high, int targetCount) {
        return covering(low, high, targetCount, false);
    }

    /** Ticks for counts: whole steps only, so no axis reads "2.5 events". */
    static Ticks wholeNumbers(double low, double high, int targetCount) {
        return covering(low, high, targetCount, true);
    }

    private static Ticks covering(double low, double high, int targetCount, boolean whole) {
        if (!(high > low)) {
            high = low + 1;
        }
        double rough = (high - low) / Math.max(1, targetCount);
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double step = magnitude * 10;
        for (double factor : new double[] {1, 2, 2.5, 5, 10}) {
            boolean fractional = magnitude * factor != Math.rint(magnitude * factor);
            if (magnitude * factor >= rough && !(whole && fractional)) {
                step = magnitude * factor;
                break;
            }
        }
        if (whole) {
            step = Math.max(1, step);
        }
        double min = Math.floor(low / step) * step;
        double max = Math.ceil(high / step) * step;
        return new Ticks(min, max, step);
    }

    List<Double> values() {
        List<Double> values = new ArrayList<>();
        long count = Math.round((max - min) / step);
        for (long i = 0; i <= count; i++) {
            // Rounded to the step's precision so 0.1 + 0.2 prints as 0.3.
            values.add(Math.round((min + i * step) * 1e9) / 1e9);
        }
        return values;
    }

    /** Maps a value of this range onto [from, to] (to may be below from, as on a y axis). */
    double scale(double value, double from, double to) {
        return from + (value - min) / (max - min) * (to - from);
    }
}
