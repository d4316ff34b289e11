package dev.seqmix.cli.report;

import dev.seqmix.cli.report.Figure.Guide;
import dev.seqmix.cli.report.Figure.Series;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a {@link Figure} as a PNG with XChart (headless: {@code java.awt.headless=true} is set by the command). The x
 * axis is log2(size) on a linear axis labelled with the sizes: the sizes are powers of two, and XChart's logarithmic
 * axis labels decades only (a sweep from 32 to 64 would get no label at all).
 */
final class Charts {
    static final int WIDTH = 960;
    static final int HEIGHT = 600;

    private Charts() {
    }

    /** Writes {@code figure}'s plot to {@code dir/figure.file()}; false (and no file) when it has nothing to plot. */
    static boolean write(Figure figure, Path dir) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(figure.title())
                .xAxisTitle(figure.xLabel() + " (log scale)").yAxisTitle(figure.metric().label).build();
        XYStyler style = chart.getStyler();
        chart.setCustomXAxisTickLabelsFormatter(Charts::sizeLabel);
        style.setYAxisLogarithmic(figure.logY());
        if (!figure.logY()) {
            style.setYAxisMin(0.0);
        }
        style.setLegendPosition(Styler.LegendPosition.OutsideS);
        style.setChartBackgroundColor(Color.WHITE);
        style.setMarkerSize(7);
        style.setPlotGridLinesColor(new Color(225, 225, 225));
        int plotted = 0;
        double yMin = Double.MAX_VALUE;
        double yMax = 0;
        for (Series s : figure.series()) {
            List<double[]> xy = new ArrayList<>();
            for (Measurement m : s.points()) {
                double y = m.metric(figure.metric());
                boolean wanted = !figure.plotPowersOfTwoOnly() || Long.bitCount(m.size()) == 1;
                if (wanted && Double.isFinite(y) && (y > 0 || !figure.logY())) {
                    xy.add(new double[] {log2(m.size()), y});
                    yMin = Math.min(yMin, y);
                    yMax = Math.max(yMax, y);
                }
            }
            if (!xy.isEmpty()) {
                chart.addSeries(s.label(), column(xy, 0), column(xy, 1));
                plotted++;
            }
        }
        if (plotted == 0) {
            return false;
        }
        // Over less than two decades, a log axis labelled at decades only would show one label or none.
        style.setYAxisLogarithmicDecadeOnly(yMax / yMin >= 100);
        for (Guide g : figure.guides()) {
            double[] x = new double[g.x().length];
            for (int i = 0; i < x.length; i++) {
                x[i] = log2(g.x()[i]);
            }
            XYSeries line = chart.addSeries(g.label(), x, g.y());
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(Color.GRAY);
            line.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {6f, 4f}, 0f));
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve(figure.file()))) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return true;
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    /** The label of a tick at log2(size) = v: the size where v is a whole number (2^k beyond 65536), else none. */
    static String sizeLabel(double v) {
        long k = Math.round(v);
        if (Math.abs(v - k) > 1e-6 || k < 0 || k > 62) {
            return "";
        }
        return k <= 16 ? Long.toString(1L << k) : "2^" + k;
    }

    private static double[] column(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(r -> r[c]).toArray();
    }
}
