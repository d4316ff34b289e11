package dev.seqmix.cli;

import java.util.Arrays;
import java.util.Locale;

/** Statistics and number formats shared by the commands. */
public final class Numbers {
    private Numbers() {
    }

    /** The median of {@code a} (not modified); NaN for an empty array. */
    public static double median(double[] a) {
        return quantile(a, 0.5);
    }

    /** The {@code q}-quantile of {@code a} (0 = min, 1 = max), linear between order statistics; NaN when empty. */
    public static double quantile(double[] a, double q) {
        if (a.length == 0) {
            return Double.NaN;
        }
        double[] s = a.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    /** A duration in us, ms or s with three significant figures or so; "-" for NaN. */
    public static String formatTime(double seconds) {
        if (Double.isNaN(seconds)) {
            return "-";
        }
        double magnitude = Math.abs(seconds); // negative: the low end of a wide JMH confidence interval
        if (magnitude < 1e-3) {
            return String.format(Locale.ROOT, "%.1f us", seconds * 1e6);
        }
        if (magnitude < 1) {
            return String.format(Locale.ROOT, "%.2f ms", seconds * 1e3);
        }
        return String.format(Locale.ROOT, "%.2f s", seconds);
    }

    /** A relative error with two significant figures ("0" for zero, "inf/NaN" when not finite). */
    public static String formatError(double e) {
        if (Double.isInfinite(e) || Double.isNaN(e)) {
            return "inf/NaN";
        }
        return e == 0 ? "0" : String.format(Locale.ROOT, "%.1e", e);
    }
}
