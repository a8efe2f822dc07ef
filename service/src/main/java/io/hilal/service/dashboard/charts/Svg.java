package io.hilal.service.dashboard.charts;

import java.util.Locale;

/**
 * A small SVG writer: elements with escaped text and attributes, and numbers written the same way
 * whatever the server's locale. The charts are strings inlined into the page, so they need no
 * script, no external asset and no network, and they print.
 */
final class Svg {
    private final StringBuilder out = new StringBuilder(4096);

    /**
     * Opens the root element: a responsive viewBox, {@code role="img"}, an accessible name and a
     * longer description; {@code id} prefixes the ids of title and description.
     */
    Svg(String id, int width, int height, String title, String description) {
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height)
                .append("\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\"")
                .append(" class=\"chart\" id=\"")
                .append(escape(id))
                .append("\" aria-label=\"")
                .append(escape(title))
                .append("\" aria-describedby=\"")
                .append(escape(id))
                .append("-desc\">");
        out.append("<title>").append(escape(title)).append("</title>");
        out.append("<desc id=\"")
                .append(escape(id))
                .append("-desc\">")
                .append(escape(description))
                .append("</desc>");
    }

    /** Appends raw markup built by this class's callers from escaped parts. */
    Svg raw(String markup) {
        out.append(markup);
        return this;
    }

    Svg line(double x1, double y1, double x2, double y2, String cssClass) {
        out.append("<line x1=\"")
                .append(num(x1))
                .append("\" y1=\"")
                .append(num(y1))
                .append("\" x2=\"")
                .append(num(x2))
                .append("\" y2=\"")
                .append(num(y2))
                .append("\" class=\"")
                .append(cssClass)
                .append("\"/>");
        return this;
    }

    Svg text(double x, double y, String anchor, String cssClass, String text) {
        out.append("<text x=\"")
                .append(num(x))
                .append("\" y=\"")
                .append(num(y))
                .append("\" text-anchor=\"")
                .append(anchor)
                .append("\" class=\"")
                .append(cssClass)
                .append("\">")
                .append(escape(text))
                .append("</text>");
        return this;
    }

    String close() {
        return out.append("</svg>").toString();
    }

    /** At most two decimals, a dot as separator, no trailing zeros: compact and stable. */
    static String num(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        String text = String.format(Locale.ROOT, "%.2f", value);
        text = text.replaceAll("0+$", "");
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\t') {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
