package org.unitpath.report;

/** Escaping for text and attribute values of the report's polyglot (HTML5 and XML) markup. */
public final class Html {
    private Html() {}

    /**
     * {@code s} with markup characters replaced by character references, and characters XML
     * forbids (control characters other than tab and newlines) dropped.
     */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if (c >= 0x20 && c != 0xfffe && c != 0xffff || c == '\t' || c == '\n' || c == '\r') {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
