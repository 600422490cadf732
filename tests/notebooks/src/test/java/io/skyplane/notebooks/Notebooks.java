package io.skyplane.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The repository's notebooks/ directory and what the tests read from it. */
final class Notebooks {
  static final Path ROOT = Path.of(System.getProperty("skyplane.root", "../..")).toAbsolutePath().normalize();
  static final Path DIR = ROOT.resolve("notebooks");
  private static final ObjectMapper JSON = new ObjectMapper();

  private Notebooks() {}

  /** Every notebooks/*.ipynb, by name; an error when the directory cannot be listed. */
  static List<Path> all() {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + DIR, e);
    }
  }

  /** A notebook's JSON; an error naming the file when it is not JSON. */
  static JsonNode read(Path notebook) {
    try {
      return JSON.readTree(notebook.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + notebook + " as JSON", e);
    }
  }

  /** The file name without .ipynb: the name of the notebook's figure directory. */
  static String stem(Path notebook) {
    String name = notebook.getFileName().toString();
    return name.substring(0, name.length() - ".ipynb".length());
  }
}
