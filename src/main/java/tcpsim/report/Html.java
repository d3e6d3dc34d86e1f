package tcpsim.report;

/** Escaping for HTML and SVG text and attribute values (also valid XML). */
final class Html {
  private Html() {}

  /**
   * Escapes {@code & < > " '} and writes every non-ASCII character as a numeric character
   * reference, so the output is plain ASCII whatever the file's encoding is taken to be. Control
   * characters that XML forbids are replaced by U+FFFD.
   */
  static String escape(String s) {
    if (s == null) return "";
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r')
              || (c >= 0xD800 && c <= 0xDFFF) || c == 0xFFFE || c == 0xFFFF) {
            b.append("&#xFFFD;");
          } else if (c < 0x7f) {
            b.append((char) c);
          } else {
            b.append("&#").append(c).append(';');
          }
        }
      }
    }
    return b.toString();
  }
}
