package io.skyplane.job.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.skyplane.job.transfer.TransferReport;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/** Prints a transfer's summary and writes JSON reports. */
final class ReportOutput {
  private static final int MAX_FAILURES_SHOWN = 20;

  private ReportOutput() {}

  static void summary(TransferReport r, PrintWriter out, PrintWriter err) {
    PrintWriter to = r.succeeded() ? out : err;
    to.printf(Locale.ROOT,
        "%s: %d/%d objects, %s in %.1f s (%s/s; %s/s after %.1f s start-up); %s on the wire (%.2fx), CRC32C verified%n",
        r.succeeded() ? "Copied" : "Transfer " + r.status(), r.objectsCommitted(), r.objects(),
        ByteSize.format(r.bytes()), r.durationSeconds(), ByteSize.format(r.throughputBytesPerSecond()),
        ByteSize.format(r.transferBytesPerSecond()), r.startupSeconds(),
        ByteSize.format(r.wireBytes()), r.compressionRatio());
    int shown = 0;
    for (TransferReport.Failure f : r.failures()) {
      if (shown++ == MAX_FAILURES_SHOWN) {
        err.println("  ... and " + (r.failures().size() - MAX_FAILURES_SHOWN) + " more");
        break;
      }
      err.println("  failed: " + f.key() + ": " + f.error());
    }
    if (!r.error().isEmpty()) {
      err.println("skyplane: error: the transfer job failed: " + r.error());
    }
    if (!r.leftovers().isEmpty()) {
      for (String leftover : r.leftovers()) {
        err.println("  left: " + leftover);
      }
      err.println("skyplane: warning: " + r.leftovers().size() + " leftovers could not be removed from "
          + r.destination() + "; remove them with: skyplane clean " + r.destination());
    }
  }

  /** Writes any report record as JSON to a file, or to {@code out} for "-". */
  static void json(Object report, String target, PrintWriter out) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    if (target.equals("-")) {
      out.println(mapper.writeValueAsString(report));
      out.flush();
    } else {
      mapper.writeValue(new File(target), report);
    }
  }

  static int exitCode(TransferReport report) {
    if (!report.error().isEmpty()) {
      return SkyplaneCli.EXIT_JOB_FAILED;
    }
    return report.succeeded() ? SkyplaneCli.EXIT_OK : SkyplaneCli.EXIT_OBJECTS_FAILED;
  }
}
