package io.skyplane.planner.io;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small comma-separated file: a header line, then rows. Blank lines and lines starting with
 * {@code #} are skipped. No quoting (none of our formats needs it). Every row keeps its line number
 * so that errors can say {@code file:line}.
 */
public final class CsvTable {

  /** One data row with its 1-based line number in the file. */
  public record Row(CsvTable table, int line, List<String> cells) {
    public Row {
      requireNonNull(table, "table is null");
      cells = List.copyOf(cells);
    }

    /** The cell of a column, trimmed. */
    public String get(String column) {
      int index = table.column(column);
      if (index >= cells.size()) {
        throw error("missing column '" + column + "'");
      }
      return cells.get(index).trim();
    }

    /** The cell of a column as a finite number. */
    public double number(String column) {
      String text = get(column);
      try {
        double value = Double.parseDouble(text);
        if (!Double.isFinite(value)) {
          throw error("column '" + column + "' is not a finite number: '" + text + "'");
        }
        return value;
      } catch (NumberFormatException e) {
        throw error("column '" + column + "' is not a number: '" + text + "'");
      }
    }

    /** An exception that names the file and line of this row. */
    public InputFileException error(String message) {
      return new InputFileException(table.source, line, message);
    }
  }

  private final String source;
  private final List<String> header;
  private final List<Row> rows;

  private CsvTable(String source, List<String> header, List<Row> rows) {
    this.source = source;
    this.header = header;
    this.rows = rows;
  }

  public static CsvTable read(Path file) {
    requireNonNull(file, "file is null");
    try (InputStream in = Files.newInputStream(file)) {
      return read(file.toString(), in);
    } catch (IOException e) {
      throw new InputFileException(file.toString(), 0, "cannot read: " + e.getMessage());
    }
  }

  public static CsvTable read(String source, InputStream in) {
    requireNonNull(source, "source is null");
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      List<String> header = null;
      List<Row> rows = new ArrayList<>();
      CsvTable table = new CsvTable(source, List.of(), rows);
      String text;
      int line = 0;
      while ((text = reader.readLine()) != null) {
        line++;
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        List<String> cells = List.of(trimmed.split(",", -1));
        if (header == null) {
          header = cells.stream().map(c -> c.trim().toLowerCase(Locale.ROOT)).toList();
          table = new CsvTable(source, header, rows);
        } else {
          rows.add(new Row(table, line, cells));
        }
      }
      if (header == null) {
        throw new InputFileException(source, line, "empty file (no header line)");
      }
      return table;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source, e);
    }
  }

  public String source() {
    return source;
  }

  public List<String> header() {
    return header;
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  public boolean hasColumns(String... columns) {
    return header.containsAll(List.of(columns));
  }

  /** Fails with {@code file:1} unless the header has all these columns. */
  public CsvTable requireColumns(String... columns) {
    for (String column : columns) {
      if (!header.contains(column)) {
        throw new InputFileException(
            source, 1, "missing column '" + column + "' (header is " + String.join(",", header) + ")");
      }
    }
    return this;
  }

  int column(String name) {
    int index = header.indexOf(name);
    if (index < 0) {
      throw new InputFileException(source, 1, "missing column '" + name + "'");
    }
    return index;
  }
}
