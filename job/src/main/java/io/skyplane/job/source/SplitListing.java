package io.skyplane.job.source;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.skyplane.store.DelimitedListing;
import io.skyplane.store.DelimitedListing.LevelEntry;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.ObjectListing;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.StoreException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The split listing of {@link PrefixListing}: the first thread reads the level (handing its
 * objects out and its child prefixes to the others), starting another thread for each child
 * prefix up to the maximum, then lists child prefixes too; the other threads list child prefixes
 * in full. Objects reach the consumer through a bounded queue. The first failure stops all
 * threads and is thrown to the consumer; {@link #close()} stops them too.
 */
final class SplitListing implements ObjectListing {
  private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();
  /** How often a thread waiting on a full (or empty) queue checks whether the listing stopped. */
  private static final long CHECK_MILLIS = 100;
  /** How long {@link #close()} waits for the threads to end. */
  private static final long CLOSE_WAIT_MILLIS = 5_000;
  /** Wakes the consumer when a thread ends or fails. */
  private static final Object WAKE = new Object();
  /** Ends a thread's work on child prefixes (a child prefix is never empty). */
  private static final String END = "";

  private final ObjectStore store;
  private final String prefix;
  private final int maxThreads;
  /** Objects (and {@link #WAKE}s) for the consumer. */
  private final BlockingQueue<Object> objects;
  /** Child prefixes still to list. */
  private final BlockingQueue<String> children;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger finished = new AtomicInteger();
  private final AtomicReference<StoreException> failure = new AtomicReference<>();
  private volatile boolean closed;
  private ObjectInfo next;

  /**
   * Starts listing. {@code level} lists {@code prefix}; {@code peeked} are the entries already
   * read from it. The level is closed by the listing.
   */
  SplitListing(ObjectStore store, String prefix, DelimitedListing.Level level, List<LevelEntry> peeked,
      int maxThreads, int queueCapacity) {
    this.store = store;
    this.prefix = prefix;
    this.maxThreads = maxThreads;
    this.objects = new ArrayBlockingQueue<>(queueCapacity);
    this.children = new ArrayBlockingQueue<>(queueCapacity);
    List<LevelEntry> first = List.copyOf(peeked);
    start(() -> {
      readLevel(level, first);
      listChildren();
    });
  }

  private interface Work {
    void run() throws IOException, InterruptedException;
  }

  /** Starts a thread, unless closed. Only the level's reader starts threads after the first. */
  private synchronized void start(Work work) {
    if (closed) {
      return;
    }
    started.incrementAndGet();
    Thread thread = new Thread(() -> run(work), "skyplane-listing-" + THREAD_NUMBERS.incrementAndGet());
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  private void run(Work work) {
    boolean done = false;
    try {
      work.run();
      done = true;
    } catch (InterruptedException e) {
      fail(new InterruptedIOException("interrupted"));
    } catch (UncheckedIOException e) {
      fail(e.getCause());
    } catch (IOException | RuntimeException | Error e) {
      fail(e);
      if (e instanceof Error error) {
        throw error;
      }
    } finally {
      if (!done) {
        fail(new IllegalStateException("a listing thread ended early"));
      }
      finished.incrementAndGet();
      objects.offer(WAKE); // when full, the consumer is not waiting
    }
  }

  private void readLevel(DelimitedListing.Level level, List<LevelEntry> peeked)
      throws IOException, InterruptedException {
    try (level) {
      for (LevelEntry entry : peeked) {
        hand(entry);
      }
      while (!stopped() && level.hasNext()) {
        hand(level.next());
      }
    }
    // Only this thread starts threads, so the count is final: one END for each, this one too.
    for (int i = started.get(); i > 0; i--) {
      put(children, END);
    }
  }

  private void hand(LevelEntry entry) throws InterruptedException {
    if (entry.isPrefix()) {
      put(children, entry.childPrefix());
      if (started.get() < maxThreads) {
        start(this::listChildren);
      }
    } else {
      put(objects, entry.object());
    }
  }

  private void listChildren() throws IOException, InterruptedException {
    while (true) {
      String child = children.poll(CHECK_MILLIS, MILLISECONDS);
      if (stopped()) {
        return;
      }
      if (child == null) {
        continue;
      }
      if (child.isEmpty()) { // END
        return;
      }
      try (ObjectListing listing = store.list(child)) {
        while (!stopped() && listing.hasNext()) {
          put(objects, listing.next());
        }
      }
    }
  }

  /** Waits for room, checking now and then whether the listing stopped. */
  private <T> void put(BlockingQueue<T> queue, T item) throws InterruptedException {
    while (!queue.offer(item, CHECK_MILLIS, MILLISECONDS)) {
      if (stopped()) {
        throw new InterruptedException("the listing stopped");
      }
    }
  }

  private boolean stopped() {
    return closed || failure.get() != null;
  }

  /** Records the first failure (none after close), stops the other threads and wakes the consumer. */
  private void fail(Throwable e) {
    if (closed) {
      return;
    }
    StoreException error = e instanceof StoreException translated ? translated
        : new StoreException(StoreException.Kind.FATAL,
            "cannot list " + store.uri(prefix) + ": " + e, e);
    if (failure.compareAndSet(null, error)) {
      interruptOthers();
      objects.offer(WAKE);
    }
  }

  private synchronized void interruptOthers() {
    for (Thread thread : threads) {
      if (thread != Thread.currentThread()) {
        thread.interrupt();
      }
    }
  }

  @Override
  public boolean hasNext() {
    while (next == null) {
      if (closed) {
        return false;
      }
      throwIfFailed();
      Object item = objects.poll();
      if (item == null) {
        // finished before started: once finished equals started, the level's reader has ended
        // and with it the starting of threads.
        if (finished.get() == started.get()) {
          item = objects.poll();
          if (item == null) {
            throwIfFailed();
            return false;
          }
        } else {
          try {
            item = objects.take();
          } catch (InterruptedException e) {
            // Ends the listing as a failure: the threads stop, and a caller that goes on sees it.
            Thread.currentThread().interrupt();
            fail(new InterruptedIOException("the consumer was interrupted"));
            throwIfFailed();
            return false; // closed meanwhile
          }
        }
      }
      if (item instanceof ObjectInfo info) {
        next = info;
      }
    }
    return true;
  }

  private void throwIfFailed() {
    StoreException error = failure.get();
    if (error != null) {
      throw new UncheckedIOException(error.getMessage(), error);
    }
  }

  @Override
  public ObjectInfo next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    ObjectInfo result = next;
    next = null;
    return result;
  }

  /**
   * Stops the threads and waits a little for them to end (a request in flight may delay one). May
   * be called from another thread than the consumer's: a waiting {@link #hasNext()} returns false.
   */
  @Override
  public void close() {
    List<Thread> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = List.copyOf(threads);
    }
    for (Thread thread : all) {
      thread.interrupt();
    }
    objects.clear();
    objects.offer(WAKE); // a consumer waiting on another thread sees the close
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
    try {
      for (Thread thread : all) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          break;
        }
        thread.join(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
