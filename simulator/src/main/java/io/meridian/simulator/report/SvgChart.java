package io.meridian.simulator.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One chart as inline SVG: a time axis at the bottom, a value axis on the left with grid lines, a legend on top, and
 * series drawn as lines, areas (a line filled down to the axis' zero or bottom), bars (one per interval) or markers.
 *
 * <p>Every series is one {@code <path class="series">} whose {@code data-points} attribute says how many data points
 * it draws: a line or an area one coordinate pair per point after its {@code M} (a gap, NaN, starts a new {@code M}),
 * bars and markers one {@code M} each. The SVG is well-formed XML; every text is escaped. It has no namespace
 * declaration (an HTML page puts {@code <svg>} in the SVG namespace), so the page names no URL at all.
 */
final class SvgChart {
    static final int WIDTH = 920;
    static final int HEIGHT = 270;
    private static final int LEFT = 84;
    private static final int RIGHT = 18;
    private static final int TOP = 34;
    private static final int BOTTOM = 48;

    private enum Kind { LINE, AREA, BARS, MARKERS }

    /** How a line is stroked: plain, dashed, or wide and light (to show beneath a line that follows it closely). */
    private enum Stroke { PLAIN, DASHED, WIDE }

    private record Series(String name, String color, Kind kind, double[] x, double[] y, Stroke stroke) {
    }

    private final String id;
    private final String title;
    private final String yTitle;
    private final String xTitle;
    private final double span;
    private final long startEpochSeconds;
    private final boolean includeZero;
    private double minStep;
    private final List<Series> series = new ArrayList<>();

    /**
     * @param span              the time axis' length in seconds (x values are seconds from the start)
     * @param startEpochSeconds the start on the UTC clock for clock labels, or -1 for seconds from the start
     * @param includeZero       the value axis takes in 0 (counts, balances, rates)
     */
    SvgChart(String id, String title, String yTitle, String xTitle, double span, long startEpochSeconds,
             boolean includeZero) {
        this.id = id;
        this.title = title;
        this.yTitle = yTitle;
        this.xTitle = xTitle;
        this.span = span;
        this.startEpochSeconds = startEpochSeconds;
        this.includeZero = includeZero;
    }

    /** The values are counts: ticks on whole numbers. */
    SvgChart counts() {
        minStep = 1;
        return this;
    }

    SvgChart line(String name, String color, double[] x, double[] y) {
        series.add(new Series(name, color, Kind.LINE, x, y, Stroke.PLAIN));
        return this;
    }

    SvgChart dashed(String name, String color, double[] x, double[] y) {
        series.add(new Series(name, color, Kind.LINE, x, y, Stroke.DASHED));
        return this;
    }

    /** A wide, light line: for a series that others drawn after it may cover (the index under the mark). */
    SvgChart wide(String name, String color, double[] x, double[] y) {
        series.add(new Series(name, color, Kind.LINE, x, y, Stroke.WIDE));
        return this;
    }

    SvgChart area(String name, String color, double[] x, double[] y) {
        series.add(new Series(name, color, Kind.AREA, x, y, Stroke.PLAIN));
        return this;
    }

    /** Bar {@code i} spans {@code x[i-1] .. x[i]} with height {@code y[i]} ({@code y[0]} is not drawn). */
    SvgChart bars(String name, String color, double[] x, double[] y) {
        series.add(new Series(name, color, Kind.BARS, x, y, Stroke.PLAIN));
        return this;
    }

    SvgChart markers(String name, String color, double[] x, double[] y) {
        series.add(new Series(name, color, Kind.MARKERS, x, y, Stroke.PLAIN));
        return this;
    }

    String svg() {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = s.kind == Kind.BARS ? 1 : 0; i < s.y.length; i++) {
                if (!Double.isNaN(s.y[i])) {
                    min = Math.min(min, s.y[i]);
                    max = Math.max(max, s.y[i]);
                }
            }
        }
        boolean zero = includeZero || series.stream().anyMatch(s -> s.kind == Kind.BARS);
        Ticks.Scale ys = Ticks.values(min, max, 5, zero, minStep);
        Ticks.Scale xs = Ticks.time(span, startEpochSeconds, 8);
        Frame f = new Frame(xs.high(), ys.low(), ys.high());
        StringBuilder out = new StringBuilder(4_096);
        out.append(String.format(Locale.ROOT, "<svg class=\"chart\" id=\"%s\" "
                + "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">%n", Html.escape(id),
                WIDTH, HEIGHT, WIDTH, HEIGHT, Html.escape(title)));
        out.append("<title>").append(Html.escape(title)).append("</title>\n");
        out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fbfbfd\" "
                + "stroke=\"#c8c8d0\"/>%n", LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM));
        axes(out, f, xs, ys);
        for (Series s : series) {
            path(out, f, s);
        }
        legend(out);
        out.append("</svg>\n");
        return out.toString();
    }

    /** Data to pixels. */
    private record Frame(double xHigh, double yLow, double yHigh) {
        double px(double x) {
            return LEFT + (WIDTH - LEFT - RIGHT) * (xHigh <= 0 ? 0 : x / xHigh);
        }

        double py(double y) {
            return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (y - yLow) / (yHigh - yLow));
        }

        /** Where the fill of an area and the base of a bar are: zero when on the axis, else the bottom. */
        double base() {
            return py(Math.max(yLow, Math.min(0, yHigh)));
        }
    }

    private void axes(StringBuilder out, Frame f, Ticks.Scale xs, Ticks.Scale ys) {
        out.append("<g class=\"grid\" stroke=\"#e3e3ea\" stroke-width=\"1\">\n");
        for (Ticks.Tick t : ys.ticks()) {
            out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>%n", LEFT,
                    f.py(t.value()), WIDTH - RIGHT, f.py(t.value())));
        }
        for (Ticks.Tick t : xs.ticks()) {
            out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>%n",
                    f.px(t.value()), TOP, f.px(t.value()), HEIGHT - BOTTOM));
        }
        out.append("</g>\n<g class=\"axis\" font-size=\"11\" fill=\"#44444f\">\n");
        for (Ticks.Tick t : ys.ticks()) {
            out.append(String.format(Locale.ROOT, "<text class=\"y-tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, f.py(t.value()) + 4, Html.escape(t.label())));
        }
        for (Ticks.Tick t : xs.ticks()) {
            // A label centred on a tick at the right edge would be cut off: that tick keeps its grid line only.
            double x = f.px(t.value());
            if (x + t.label().length() * 3.4 <= WIDTH - 2) {
                out.append(String.format(Locale.ROOT, "<text class=\"x-tick\" x=\"%.1f\" y=\"%d\" "
                        + "text-anchor=\"middle\">%s</text>%n", x, HEIGHT - BOTTOM + 16, Html.escape(t.label())));
            }
        }
        out.append(String.format(Locale.ROOT, "<text class=\"x-title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                + "font-size=\"12\">%s</text>%n", LEFT + (WIDTH - LEFT - RIGHT) / 2, HEIGHT - 10, Html.escape(xTitle)));
        int middle = TOP + (HEIGHT - TOP - BOTTOM) / 2;
        out.append(String.format(Locale.ROOT, "<text class=\"y-title\" x=\"14\" y=\"%d\" text-anchor=\"middle\" "
                + "font-size=\"12\" transform=\"rotate(-90 14 %d)\">%s</text>%n", middle, middle, Html.escape(yTitle)));
        out.append("</g>\n");
    }

    private static void path(StringBuilder out, Frame f, Series s) {
        StringBuilder d = new StringBuilder(s.x.length * 14);
        int points = 0;
        switch (s.kind) {
            case LINE, AREA -> {
                boolean pen = false;
                int runStart = 0;
                for (int i = 0; i <= s.x.length; i++) {
                    boolean value = i < s.x.length && !Double.isNaN(s.y[i]);
                    if (value) {
                        if (!pen) {
                            runStart = i;
                        }
                        d.append(pen ? " L" : (d.length() == 0 ? "M" : " M")).append(xy(f.px(s.x[i]), f.py(s.y[i])));
                        pen = true;
                        points++;
                    } else if (pen && s.kind == Kind.AREA) {
                        // Close the run down to the base: the fill; the stroke is the line drawn below.
                        d.append(" V").append(coordinate(f.base())).append(" H").append(coordinate(f.px(s.x[runStart])))
                                .append(" Z");
                        pen = false;
                    } else {
                        pen = false;
                    }
                }
            }
            case BARS -> {
                double base = f.base();
                for (int i = 1; i < s.x.length; i++) {
                    double x0 = f.px(s.x[i - 1]);
                    double x1 = f.px(s.x[i]);
                    // A gap between wide bars; narrow ones (a long run) at least 1.5 px wide, overlapping: the union
                    // of a pixel's bars shows the largest of them.
                    double gap = x1 - x0 >= 4 ? 1 : 0;
                    x1 = Math.max(x1, x0 + 1.5);
                    d.append(d.length() == 0 ? "M" : " M").append(xy(x0 + gap, base)).append(" V")
                            .append(coordinate(f.py(s.y[i]))).append(" H").append(coordinate(x1 - gap)).append(" V")
                            .append(coordinate(base)).append(" Z");
                    points++;
                }
            }
            case MARKERS -> {
                for (int i = 0; i < s.x.length; i++) {
                    // A diamond around the point.
                    double x = f.px(s.x[i]);
                    double y = f.py(s.y[i]);
                    d.append(d.length() == 0 ? "M" : " M").append(xy(x, y - 5)).append(" L").append(xy(x + 5, y))
                            .append(" L").append(xy(x, y + 5)).append(" L").append(xy(x - 5, y)).append(" Z");
                    points++;
                }
            }
            default -> throw new IllegalStateException(s.kind.name());
        }
        String fill = switch (s.kind) {
            case AREA -> s.color + "\" fill-opacity=\"0.18";
            case BARS, MARKERS -> s.color;
            default -> "none";
        };
        String stroke = s.kind == Kind.AREA || s.kind == Kind.BARS ? "none" : s.kind == Kind.MARKERS ? "#ffffff"
                : s.color;
        out.append(String.format(Locale.ROOT, "<path class=\"series %s\" data-series=\"%s\" data-points=\"%d\" "
                        + "fill=\"%s\" stroke=\"%s\" %s stroke-linejoin=\"round\" d=\"%s\"/>%n",
                s.kind.name().toLowerCase(Locale.ROOT), Html.escape(s.name), points, fill, stroke,
                s.kind == Kind.MARKERS ? "stroke-width=\"1\"" : strokeStyle(s.stroke, 1.6), d));
        if (s.kind == Kind.AREA) {
            // The area's edge as a line on top of its fill.
            path(out, f, new Series(s.name, s.color, Kind.LINE, s.x, s.y, Stroke.PLAIN));
        }
    }

    private void legend(StringBuilder out) {
        out.append("<g class=\"legend\" font-size=\"12\" fill=\"#22222a\">\n");
        double x = LEFT;
        for (Series s : series) {
            String mark = switch (s.kind) {
                case BARS -> String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"11\" width=\"16\" height=\"10\" "
                        + "fill=\"%s\"/>", x, s.color);
                case MARKERS -> String.format(Locale.ROOT, "<path d=\"M%s L%s L%s L%s Z\" fill=\"%s\"/>",
                        xy(x + 8, 11), xy(x + 13, 16), xy(x + 8, 21), xy(x + 3, 16), s.color);
                default -> String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"16\" x2=\"%.1f\" y2=\"16\" stroke=\"%s\" "
                        + "%s/>", x, x + 16, s.color, strokeStyle(s.stroke, 2.5));
            };
            out.append(mark).append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"20\">%s</text>%n", x + 21,
                    Html.escape(s.name)));
            x += 21 + 6.6 * s.name.length() + 22;
        }
        out.append("</g>\n");
    }

    private static String strokeStyle(Stroke stroke, double width) {
        return switch (stroke) {
            case DASHED -> String.format(Locale.ROOT, "stroke-width=\"%.1f\" stroke-dasharray=\"5 4\"", width);
            case WIDE -> String.format(Locale.ROOT, "stroke-width=\"%.1f\" stroke-opacity=\"0.45\"", width * 3);
            default -> String.format(Locale.ROOT, "stroke-width=\"%.1f\"", width);
        };
    }

    private static String xy(double x, double y) {
        return coordinate(x) + "," + coordinate(y);
    }

    private static String coordinate(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
