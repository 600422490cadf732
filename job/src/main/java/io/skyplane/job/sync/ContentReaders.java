package io.skyplane.job.sync;

import io.skyplane.job.source.SourceObject;
import io.skyplane.job.transfer.Location;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * The {@link ContentComparison.Reader}s of a sync's two sides: files through a {@link FileChannel},
 * store objects through {@link ObjectStore#read} (one store instance per side, shared by the
 * threads). Closing closes the stores.
 */
public final class ContentReaders implements Closeable {
  private static final int BUFFER = 1 << 20;

  private final List<ObjectStore> stores = new ArrayList<>();
  private ContentComparison.Reader source;
  private ContentComparison.Reader destination;

  private ContentReaders() {}

  /**
   * The readers of a sync's source and destination (a tree on both sides); IOException when a
   * store cannot be opened (nothing is left open then).
   */
  public static ContentReaders of(TransferSpec spec) throws IOException {
    ContentReaders readers = new ContentReaders();
    try {
      readers.source = readers.reader(spec.source(), key -> Path.of(spec.sourceRoot()).resolve(key), spec::sourceKey);
      readers.destination = readers.reader(spec.destination(), spec::destinationOf, spec::destinationKey);
      return readers;
    } catch (IOException | RuntimeException e) {
      try {
        readers.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  public ContentComparison.Reader source() {
    return source;
  }

  public ContentComparison.Reader destination() {
    return destination;
  }

  private ContentComparison.Reader reader(Location location, Function<String, Path> file,
      Function<String, String> storeKey) throws IOException {
    if (location.isLocal()) {
      return object -> crc32c(object.path() != null ? object.path() : file.apply(object.key()), object);
    }
    ObjectStore store = ObjectStores.open(location.store());
    stores.add(store);
    return object -> crc32c(store, storeKey.apply(object.key()), object);
  }

  /** The CRC32C of a file's first {@code object.size()} bytes; IOException naming the file. */
  static int crc32c(Path path, SourceObject object) throws IOException {
    CRC32C crc = new CRC32C();
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(1, object.size())));
    long total = 0;
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      while (total < object.size()) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), object.size() - total));
        int n = channel.read(buffer);
        if (n < 0) {
          break;
        }
        buffer.flip();
        crc.update(buffer);
        total += n;
      }
    } catch (IOException e) {
      throw new IOException("cannot read " + path + " for --checksum: " + e, e);
    }
    if (total < object.size()) {
      throw new IOException("cannot read " + path + " for --checksum: it shrank from " + object.size() + " to "
          + total + " bytes while listed");
    }
    return (int) crc.getValue();
  }

  /** The CRC32C of a store object's bytes; IOException (the store's, naming the object) when it cannot be read. */
  static int crc32c(ObjectStore store, String key, SourceObject object) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(1, object.size()))];
    try (InputStream in = store.read(key, 0, object.size())) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
      }
    }
    return (int) crc.getValue();
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (ObjectStore store : stores) {
      try {
        store.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
