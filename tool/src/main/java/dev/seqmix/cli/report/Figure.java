package dev.seqmix.cli.report;

import java.util.List;

/**
 * One figure of the report: a plot (PNG) and the table of the same numbers.
 *
 * @param file      the PNG's name in the report folder
 * @param title     heading and plot title
 * @param caption   what is plotted and how it was measured
 * @param xLabel    the x axis (always logarithmic)
 * @param metric    the y axis and the tables' values
 * @param logY      whether the y axis is logarithmic
 * @param series    measured lines, one table column each
 * @param guides    reference lines (slopes), plotted only
 * @param notes     findings computed from the numbers (crossovers, fractions of the ceiling)
 * @param plotPowersOfTwoOnly whether other sizes are left out of the plot (they stay in the table)
 */
record Figure(String file, String title, String caption, String xLabel, Measurement.Metric metric, boolean logY,
              List<Series> series, List<Guide> guides, List<String> notes, boolean plotPowersOfTwoOnly) {

    /** A measured line: its points in increasing size. */
    record Series(String label, List<Measurement> points) {
    }

    /** A reference line through computed points, e.g. a slope of n^2. */
    record Guide(String label, double[] x, double[] y) {
    }
}
