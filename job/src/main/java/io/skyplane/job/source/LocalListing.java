package io.skyplane.job.source;

import io.skyplane.job.scratch.Scratch;
import io.skyplane.job.transfer.TransferSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import javax.annotation.Nullable;

/**
 * Lists the objects of a local source: regular files under the source root (symbolic links to files
 * are followed; directories behind links are not, so the walk cannot loop; empty directories are
 * not objects). Nothing is skipped: names that look like skyplane's are the user's too (the client
 * refuses a source holding a run's area, {@code .skyplane-tmp/<run>/}, before anything is written).
 * The walk is lazy ({@link #walk}): a tree of millions of files is never held in memory. The
 * client opens every file once as it walks, so an unreadable file is reported before the job runs.
 */
public final class LocalListing {
  private LocalListing() {}

  /** Lists the transfer's source, sorted by key; throws with the offending path on any problem. */
  public static List<SourceObject> list(TransferSpec spec) {
    return list(spec, true);
  }

  /**
   * Lists the whole source into memory, sorted by key (for tests and small sources); with {@code
   * openEach} every file is also opened once.
   */
  public static List<SourceObject> list(TransferSpec spec, boolean openEach) {
    List<SourceObject> objects = new ArrayList<>();
    try (Walk walk = walk(spec, openEach)) {
      walk.forEachRemaining(objects::add);
    }
    objects.sort(Comparator.comparing(SourceObject::key));
    return objects;
  }

  /**
   * Walks the source lazily, one file at a time, in no particular order: memory holds the open
   * directories of the current path (one per level), never the listing. With {@code openEach}
   * every file is also opened once (the client's check for unreadable files; the enumerator skips
   * it, as the readers open every file anyway). Problems surface from {@code hasNext()}/{@code
   * next()} as an {@link UncheckedIOException} naming the path; close the walk when done.
   */
  public static Walk walk(TransferSpec spec, boolean openEach) {
    Path root = Path.of(spec.sourceRoot());
    if (spec.singleObject()) {
      return new Walk(root, null, List.of(describe(spec, root, openEach)).iterator());
    }
    Stream<Path> paths;
    try {
      paths = Files.walk(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
    }
    Iterator<SourceObject> objects = paths.filter(p -> !Files.isDirectory(p))
        .map(p -> describe(spec, p, openEach)).iterator();
    return new Walk(root, paths, objects);
  }

  /** A lazy walk of a local source; see {@link #walk}. */
  public static final class Walk implements Iterator<SourceObject>, AutoCloseable {
    private final Path root;
    @Nullable private final Stream<Path> paths;
    private final Iterator<SourceObject> objects;

    private Walk(Path root, @Nullable Stream<Path> paths, Iterator<SourceObject> objects) {
      this.root = root;
      this.paths = paths;
      this.objects = objects;
    }

    @Override
    public boolean hasNext() {
      try {
        return objects.hasNext();
      } catch (UncheckedIOException e) {
        throw named(e);
      }
    }

    @Override
    public SourceObject next() {
      try {
        return objects.next();
      } catch (UncheckedIOException e) {
        throw named(e);
      }
    }

    /** Files.walk's own failures (a directory that cannot be read) say which path, not what failed. */
    private UncheckedIOException named(UncheckedIOException e) {
      String message = e.getCause().getMessage();
      if (message != null && message.startsWith("cannot ")) {
        return e; // ours: names the path already
      }
      return new UncheckedIOException(new IOException(
          "cannot list " + root + ": " + e.getCause().getClass().getSimpleName() + " " + message, e.getCause()));
    }

    @Override
    public void close() {
      if (paths != null) {
        paths.close();
      }
    }
  }

  /**
   * Lists the regular files under a destination directory (for sync), keyed like the source; a
   * missing directory is empty. The areas of runs ({@code .skyplane-tmp/<run>/}, this one's or a
   * concurrent one's) are not the destination's objects and are left out.
   */
  public static List<SourceObject> listDestination(Path root) {
    List<SourceObject> objects = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return objects;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile).forEach(p -> {
        try {
          String key = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
          if (Scratch.isRunKey(key)) {
            return;
          }
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          objects.add(new SourceObject(key, p, a.size(), a.lastModifiedTime().toMillis()));
        } catch (IOException e) {
          throw new UncheckedIOException(new IOException("cannot read " + p + ": " + e.getMessage(), e));
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(new IOException("cannot list " + root + ": " + e.getMessage(), e));
    }
    objects.sort(Comparator.comparing(SourceObject::key));
    return objects;
  }

  private static SourceObject describe(TransferSpec spec, Path file, boolean open) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        throw new UncheckedIOException(new IOException("cannot read " + file + ": not a regular file"));
      }
      if (open) {
        try (FileChannel ignored = FileChannel.open(file, StandardOpenOption.READ)) {
          // opened: readable
        }
      }
      return new SourceObject(
          spec.keyOf(file), file, attributes.size(), attributes.lastModifiedTime().toMillis());
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException(
          new IOException("cannot read " + file + ": no such file (dangling link?)", e));
    } catch (IOException e) {
      throw new UncheckedIOException(new IOException("cannot read " + file + ": " + reason(e), e));
    }
  }

  private static String reason(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
  }
}
