package dev.seqmix.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table: a header, rows, columns padded to their widest cell. */
final class Table {
    private final String[] header;
    private final boolean[] rightAligned;
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        this.header = header;
        this.rightAligned = new boolean[header.length];
    }

    /** Right-aligns the given columns (numbers). */
    Table right(int... columns) {
        for (int c : columns) {
            rightAligned[c] = true;
        }
        return this;
    }

    void add(String... row) {
        if (row.length != header.length) {
            throw new IllegalArgumentException("row: expected " + header.length + " cells, got " + row.length);
        }
        rows.add(row);
    }

    int size() {
        return rows.size();
    }

    void print(PrintWriter out) {
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            width[c] = header[c].length();
        }
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        printRow(out, header, width);
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < header.length; c++) {
            if (c > 0) {
                rule.append("  ");
            }
            rule.append("-".repeat(width[c]));
        }
        out.println(rule);
        for (String[] row : rows) {
            printRow(out, row, width);
        }
        out.flush();
    }

    private void printRow(PrintWriter out, String[] row, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < row.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            String cell = row[c];
            String pad = " ".repeat(width[c] - cell.length());
            line.append(rightAligned[c] ? pad + cell : cell + (c == row.length - 1 ? "" : pad));
        }
        out.println(line);
    }
}
