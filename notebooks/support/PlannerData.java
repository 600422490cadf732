import io.skyplane.planner.PlannerInputs;
import io.skyplane.planner.cli.PlanCommand;
import io.skyplane.planner.price.NetworkTier;
import io.skyplane.planner.region.Region;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the notebooks ask of the planner, answered by the planner's own code in one JVM (a JVM per
 * {@code skyplane plan} costs ~2 s; a sweep needs dozens). {@code skyplane_notebooks.py} compiles it
 * once into {@code target/notebooks/planner-data/} and runs it on the job jar's classpath; as a single
 * source file it runs as is:
 *
 * <pre>
 * java -cp 'job/target/skyplane-job.jar:job/target/lib/*' PlannerData.java plans REQUESTS OUT_DIR
 * java -cp ... PlannerData.java prices [premium|standard] OUT.csv
 * java -cp ... PlannerData.java grid GRID_FILE OUT.csv
 * </pre>
 *
 * <ul>
 *   <li>{@code plans}: each line of REQUESTS holds the arguments of one {@code skyplane plan}
 *       separated by tabs (add {@code --json} for a plan as JSON); each runs, one after another,
 *       through the picocli command {@code skyplane plan} itself uses ({@link PlanCommand});
 *       request N's standard output goes to {@code OUT_DIR/N.out}, its error output to {@code
 *       N.err}, its exit code to {@code N.rc}. (Two threads were no faster on this 2-core machine.)
 *   <li>{@code prices}: the egress price of every ordered pair of the bundled regions as the
 *       planner charges it ({@code src,dst,usd_per_gb}).
 *   <li>{@code grid}: a throughput grid as {@code --grid FILE} loads it (our format or Skyplane's
 *       iperf3 CSV: its PREMIUM rows, Gbps, zones dropped), written as {@code src,dst,gbps}.
 * </ul>
 *
 * Bad usage exits 2 with one line on stderr; a file that cannot be read or written, or a malformed
 * grid, ends with the exception (exit 1). A request whose plan fails is not an error of this
 * program: its exit code and message are in its files.
 */
public final class PlannerData {

  public static void main(String[] args) throws IOException {
    if (args.length == 3 && args[0].equals("plans")) {
      plans(Path.of(args[1]), Path.of(args[2]));
    } else if (args.length == 3 && args[0].equals("prices")) {
      prices(NetworkTier.parse(args[1]), Path.of(args[2]));
    } else if (args.length == 3 && args[0].equals("grid")) {
      grid(Path.of(args[1]), Path.of(args[2]));
    } else {
      System.err.println("usage: PlannerData plans REQUESTS OUT_DIR | prices TIER OUT.csv | grid GRID OUT.csv");
      System.exit(2);
    }
  }

  private static void plans(Path requests, Path outDir) throws IOException {
    Files.createDirectories(outDir);
    List<String> lines = Files.readAllLines(requests, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      plan(lines.get(i), outDir, i);
    }
  }

  private static void plan(String line, Path outDir, int index) throws IOException {
    String[] planArgs = line.isEmpty() ? new String[0] : line.split("\t");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      rc = PlanCommand.commandLine(new PlanCommand(outStream, errStream))
          .setOut(new PrintWriter(outStream, true))
          .setErr(new PrintWriter(errStream, true))
          .execute(planArgs);
    }
    Files.write(outDir.resolve(index + ".out"), out.toByteArray());
    Files.write(outDir.resolve(index + ".err"), err.toByteArray());
    Files.writeString(outDir.resolve(index + ".rc"), rc + "\n");
  }

  private static void prices(NetworkTier tier, Path out) throws IOException {
    PlannerInputs inputs = PlannerInputs.defaults();
    List<Region> regions = new ArrayList<>(inputs.catalog().all());
    regions.sort((a, b) -> a.id().compareTo(b.id()));
    List<String> rows = new ArrayList<>(List.of("src,dst,usd_per_gb"));
    for (Region src : regions) {
      for (Region dst : regions) {
        if (!src.equals(dst)) {
          rows.add(src.id() + "," + dst.id() + "," + inputs.prices().egressUsdPerGb(src, dst, tier));
        }
      }
    }
    Files.write(out, rows, StandardCharsets.UTF_8);
  }

  private static void grid(Path gridFile, Path out) throws IOException {
    PlannerInputs inputs = PlannerInputs.load(Optional.empty(), Optional.of(gridFile), Optional.empty());
    List<String> rows = new ArrayList<>(List.of("src,dst,gbps"));
    inputs.grid().gbps().entrySet().stream()
        .sorted((a, b) -> a.getKey().toString().compareTo(b.getKey().toString()))
        .forEach(e -> rows.add(e.getKey().src() + "," + e.getKey().dst() + "," + e.getValue()));
    Files.write(out, rows, StandardCharsets.UTF_8);
  }

  private PlannerData() {}
}
