package io.skyplane.store.azure;

import com.azure.core.util.SharedExecutorService;
import io.skyplane.store.Crc32c;
import io.skyplane.store.MultipartUpload;
import io.skyplane.store.ObjectListing;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The child JVM of {@link AzureShutdownIT}: copies into Azure until SIGTERM, then, in its own
 * shutdown hook, does what the job's client does on Ctrl-C (find and abort pending uploads) and
 * more. Reports its progress, line by line, to the file named by its first argument.
 *
 * <p>Arguments: progress file, account, container. The connection string comes from the
 * environment variable {@code SHUTDOWN_TEST_CONNECTION}.
 */
public final class AzureShutdownChild {
  private AzureShutdownChild() {}

  public static void main(String[] args) throws Exception {
    Path progress = Path.of(args[0]);
    // azure-core's own executor (and its shutdown hook) exists before the store is opened, as it
    // does in a JVM where something else used azure-core first.
    SharedExecutorService.getInstance().submit(() -> { }).get();
    ObjectStore store = ObjectStores.open(AzureStoreFactory.locate("azure://" + args[1] + "/" + args[2],
        Map.of("connection-string-env", "SHUTDOWN_TEST_CONNECTION")).spec());
    byte[] data = new byte[1 << 20];
    int crc = Crc32c.of(data, 0, data.length);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        Thread.sleep(500); // let the other hooks (azure-core's among them) run first
        report(progress, "hook started");
        for (MultipartUpload pending : store.multipart().pending("")) {
          store.multipart().abort(pending);
        }
        report(progress, "hook aborted the pending uploads");
        store.put("from-hook", data, 0, data.length, crc);
        try (InputStream in = store.read("from-hook", 0, data.length)) {
          in.readAllBytes();
        }
        MultipartUpload upload = store.multipart().create("hook-upload");
        store.multipart().upload(upload, 1, 0, data, 0, data.length, crc);
        store.multipart().abort(upload);
        try (ObjectListing listing = store.list("")) {
          listing.hasNext();
        }
        store.delete("from-hook");
        report(progress, "hook done");
      } catch (Throwable t) {
        report(progress, "hook failed: " + t);
      }
    }));
    report(progress, "ready");
    for (int i = 0; ; i++) {
      MultipartUpload upload = store.multipart().create("copy/" + i);
      store.multipart().upload(upload, 1, 0, data, 0, data.length, crc);
      store.multipart().pending("copy/");
    }
  }

  private static synchronized void report(Path progress, String line) {
    try {
      Files.writeString(progress, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
