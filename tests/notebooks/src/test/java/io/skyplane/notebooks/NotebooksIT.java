package io.skyplane.notebooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executes every notebook headless with {@code notebooks/run} (nbclient, a kernel of Debian's
 * {@code /usr/bin/python3}, property {@code notebooks.python}), as a user would after building the
 * jars, and fails on any cell error; then checks each notebook drew its figures (non-empty PNG
 * files that decode to a picture). Skyplane's measured data next to the checkout
 * ({@code ../shared/reference/skyplane-data}, or {@code $SKYPLANE_REFERENCE_DATA}) is used when
 * present; its cells skip with a message otherwise, and the notebooks must run either way.
 */
class NotebooksIT {
  private static final String PYTHON = System.getProperty("notebooks.python", "/usr/bin/python3");
  private static final Path RUN = Notebooks.DIR.resolve("run");
  private static final Duration LIMIT = Duration.ofMinutes(6);

  @BeforeAll
  static void toolsArePresent() throws Exception {
    Result imports = run(List.of(PYTHON, "-c", "import nbclient, nbformat, ipykernel, matplotlib, pandas"), Map.of());
    assertThat(imports.exitCode())
        .as("%s lacks the notebook packages (Debian: apt-get install -y python3-nbclient python3-ipykernel "
            + "python3-matplotlib python3-pandas; .ci/run installs them): %s", PYTHON, imports)
        .isZero();
    assertThat(Notebooks.ROOT.resolve("job/target/skyplane-job.jar"))
        .as("the reactor builds the job jar before this module").isRegularFile();
  }

  @Test
  void everyNotebookRunsAndDrawsItsFigures() throws Exception {
    Path out = Notebooks.ROOT.resolve("target/notebooks");
    deleteTree(out);  // only figures of this run count

    long started = System.nanoTime();
    Result result = run(List.of(PYTHON, RUN.toString()), Map.of());
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    System.out.println(result.out() + "notebooks/run took " + took.toMillis() / 1000.0 + " s");

    assertThat(result.exitCode()).as("notebooks/run: %s", result).isZero();
    for (Path notebook : Notebooks.all()) {
      String stem = Notebooks.stem(notebook);
      assertThat(result.out()).contains(notebook.getFileName() + ": ok");
      assertEveryCellRan(out.resolve(notebook.getFileName()));
      List<Path> figures = pngs(out.resolve(stem));
      assertThat(figures).as("figures of %s in %s", stem, out.resolve(stem)).isNotEmpty();
      figures.forEach(NotebooksIT::assertPicture);
    }
  }

  /** Result sets of the local and store benchmarks are drawn as they appear, without changes to the notebook. */
  @Test
  void benchmarksNotebookDrawsLocalAndStoreResultSets(@TempDir Path tmp) throws Exception {
    Path results = tmp.resolve("results");
    for (String set : List.of("local-20261129T000000Z", "stores-20261129T000000Z")) {
      Files.createDirectories(results.resolve(set));
      try (var in = NotebooksIT.class.getResourceAsStream("/bench-results/" + set + "/results.csv")) {
        Files.copy(in, results.resolve(set).resolve("results.csv"));
      }
    }
    Path out = tmp.resolve("out");

    Result result = run(List.of(PYTHON, RUN.toString(), Notebooks.DIR.resolve("03-benchmarks.ipynb").toString()),
        Map.of("SKYPLANE_BENCH_RESULTS", results.toString(), "SKYPLANE_NOTEBOOKS_OUT", out.toString()));

    assertThat(result.exitCode()).as("notebooks/run: %s", result).isZero();
    assertEveryCellRan(out.resolve("03-benchmarks.ipynb"));
    assertThat(pngs(out.resolve("03-benchmarks")).stream().map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder("local-20261129T000000Z.png", "stores-20261129T000000Z.png");
    pngs(out.resolve("03-benchmarks")).forEach(NotebooksIT::assertPicture);
    assertThat(Files.readString(out.resolve("03-benchmarks.ipynb"))).contains("No overlay results under");
  }

  /** Every code cell of an executed notebook has an execution count and no error output. */
  private static void assertEveryCellRan(Path executed) {
    assertThat(executed).isRegularFile();
    JsonNode cells = Notebooks.read(executed).path("cells");
    for (int i = 0; i < cells.size(); i++) {
      JsonNode cell = cells.get(i);
      if (cell.path("cell_type").asText().equals("code")) {
        assertThat(cell.path("execution_count").isInt()).as("%s cell %d ran", executed.getFileName(), i).isTrue();
        for (JsonNode output : cell.path("outputs")) {
          assertThat(output.path("output_type").asText()).as("%s cell %d: %s", executed.getFileName(), i, output)
              .isNotEqualTo("error");
        }
      }
    }
  }

  /** A non-empty PNG that decodes to a picture of some size with more than a few colours. */
  private static void assertPicture(Path png) {
    try {
      byte[] bytes = Files.readAllBytes(png);
      assertThat(bytes).as("%s", png).hasSizeGreaterThan(1000)
          .startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image).as("%s decodes", png).isNotNull();
      assertThat(image.getWidth()).as("%s width", png).isGreaterThanOrEqualTo(400);
      assertThat(image.getHeight()).as("%s height", png).isGreaterThanOrEqualTo(300);
      Set<Integer> colours = new HashSet<>();
      for (int y = 0; y < image.getHeight(); y += 7) {
        for (int x = 0; x < image.getWidth(); x += 7) {
          colours.add(image.getRGB(x, y));
        }
      }
      assertThat(colours.size()).as("%s colours (not blank)", png).isGreaterThan(8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + png, e);
    }
  }

  private static List<Path> pngs(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  private record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  /** Runs a command from the repository root with extra environment, within the time limit. */
  private static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    Path out = Files.createTempFile("notebooks", ".out");
    Path err = Files.createTempFile("notebooks", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(Notebooks.ROOT.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError("timed out after " + LIMIT + ": " + command + "\n" + Files.readString(out));
      }
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
