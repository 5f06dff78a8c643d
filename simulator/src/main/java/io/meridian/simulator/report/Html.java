package io.meridian.simulator.report;

/** Escaping of text for HTML and XML (SVG): element content and quoted attribute values alike. */
final class Html {
    private Html() {
    }

    /**
     * {@code &}, {@code <}, {@code >}, both quotes as character references; control characters other than tab, line
     * feed and carriage return (not allowed in XML) as U+FFFD. Null is the empty string.
     */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF
                        ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }
}
