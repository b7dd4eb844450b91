package dev.rollbackdeploy.plan;

import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Two long strings shown where they differ. Cutting both at the same prefix hid any change past the
 * cut (issue 9, item 12: a script or config file changed in its last line read as two identical
 * values), so each side shows a window around the first differing character, with its offset.
 */
final class LongTexts {

    /** Characters of common text shown before the first difference. */
    private static final int CONTEXT = 40;

    private LongTexts() {
    }

    static FieldChange change(String path, String before, String after, int window) {
        int first = firstDifference(before, after);
        int start = Math.max(0, first - CONTEXT);
        String note = "first difference at character " + (first + 1) + " of " + before.length() + " -> "
                + after.length();
        return new FieldChange(path, excerpt(before, start, window), excerpt(after, start, window), note);
    }

    /** The index of the first character that differs, or the shorter length when one extends the other. */
    static int firstDifference(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                // Never split a surrogate pair: start the window on its first half.
                return i > 0 && Character.isHighSurrogate(a.charAt(i - 1)) ? i - 1 : i;
            }
        }
        return n;
    }

    private static String excerpt(String text, int start, int window) {
        int from = Math.min(start, text.length());
        int to = Math.min(text.length(), from + window);
        if (to < text.length() && to > from && Character.isHighSurrogate(text.charAt(to - 1))) {
            to--;
        }
        String quoted = TextNode.valueOf(text.substring(from, to)).toString();
        String body = quoted.substring(1, quoted.length() - 1);
        return "\"" + (from > 0 ? "…" : "") + body + (to < text.length() ? "…" : "") + "\"";
    }
}
