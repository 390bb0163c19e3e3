package io.jenkins.plugins.kubeplatform.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A kubectl-style table: an upper-case header row, columns aligned with three spaces between them, extra columns
 * with {@code -o wide}. Cells are printed on one line: control characters become {@code ?}, so a value cannot
 * forge a row.
 */
public final class Table {

    private final List<String> headers = new ArrayList<>();
    private final List<Boolean> wideOnly = new ArrayList<>();
    private final List<List<String>> rows = new ArrayList<>();

    private Table() {
    }

    /** A table with these columns, shown in every mode. */
    public static Table of(String... columns) {
        Table table = new Table();
        for (String c : columns) {
            table.headers.add(c);
            table.wideOnly.add(false);
        }
        return table;
    }

    /** Adds columns shown only with {@code -o wide}; they come after the others. */
    public Table wide(String... columns) {
        for (String c : columns) {
            headers.add(c);
            wideOnly.add(true);
        }
        return this;
    }

    /** Adds one row: a value per column, in the order of {@link #of} then {@link #wide}; null prints as {@code -}. */
    public Table row(Object... values) {
        if (values.length != headers.size()) {
            throw new IllegalArgumentException("row has " + values.length + " values for " + headers.size() + " columns");
        }
        List<String> row = new ArrayList<>();
        for (Object v : values) {
            row.add(v == null ? "-" : printable(String.valueOf(v)));
        }
        rows.add(row);
        return this;
    }

    public void print(PrintWriter out, boolean wide, boolean withHeader) {
        List<Integer> shown = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            if (wide || !wideOnly.get(i)) {
                shown.add(i);
            }
        }
        int[] widths = new int[headers.size()];
        for (int i : shown) {
            widths[i] = withHeader ? headers.get(i).length() : 0;
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).codePointCount(0, row.get(i).length()));
            }
        }
        if (withHeader) {
            printRow(out, headers, shown, widths);
        }
        for (List<String> row : rows) {
            printRow(out, row, shown, widths);
        }
    }

    private static void printRow(PrintWriter out, List<String> cells, List<Integer> shown, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int k = 0; k < shown.size(); k++) {
            int i = shown.get(k);
            String cell = cells.get(i);
            line.append(cell);
            if (k < shown.size() - 1) {
                line.append(" ".repeat(widths[i] - cell.codePointCount(0, cell.length()) + 3));
            }
        }
        out.println(line);
    }

    /** One line of printable text: control characters (newlines, escapes) become '?'. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return b.toString();
    }
}
