package io.skyplane.store.azure;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A response body ({@code Flux<ByteBuffer>} of the HTTP client) as a blocking stream: up to {@value
 * #PREFETCH} buffers are requested ahead and handed to the reading thread through a queue, and read
 * in place (no copy). A failure of the body (reset, the client's read timeout) is thrown by the read
 * that reaches it; {@link #close} cancels the body.
 *
 * <p>Why not the client's own streams: the JDK client's synchronous body stream hands every read of
 * at most 8 KiB to another thread to time it out (azure-core's {@code InputStreamWithReadTimeout}),
 * and azure-core's stream over a Flux requests one buffer at a time and copies each. Reading 256 MiB
 * from Azurite took 1.2-3.4 CPU-s through the former and 0.9-1.9 through this, in alternating runs
 * on a busy 2-core machine.
 */
final class AzureBodyStream extends InputStream implements Subscriber<ByteBuffer> {
  static final int PREFETCH = 32;
  private static final Object END = new Object();

  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(PREFETCH + 2);
  private volatile Subscription subscription;
  private volatile boolean overflow;
  private ByteBuffer current;
  private int takenSinceRequest;
  private boolean ended;
  private boolean closed;

  @Override
  public void onSubscribe(Subscription s) {
    subscription = s;
    s.request(PREFETCH);
  }

  @Override
  public void onNext(ByteBuffer buffer) {
    if (!queue.offer(buffer)) {
      overflow = true; // more than requested: a broken publisher
    }
  }

  @Override
  public void onError(Throwable failure) {
    queue.offer(failure);
  }

  @Override
  public void onComplete() {
    queue.offer(END);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("the response body is closed");
    }
    if (len == 0) {
      return 0;
    }
    while (current == null || !current.hasRemaining()) {
      if (ended) {
        return -1;
      }
      if (overflow) {
        throw new IOException("the response body sent more buffers than requested");
      }
      Object next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading a response body");
      }
      if (next == END) {
        ended = true;
        return -1;
      }
      if (next instanceof Throwable failure) {
        ended = true;
        throw failure instanceof IOException io ? io : new IOException(failure);
      }
      current = (ByteBuffer) next;
      if (++takenSinceRequest == PREFETCH / 2) {
        takenSinceRequest = 0;
        subscription.request(PREFETCH / 2);
      }
    }
    int n = Math.min(len, current.remaining());
    current.get(b, off, n);
    return n;
  }

  @Override
  public int available() {
    return current == null ? 0 : current.remaining();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      queue.clear();
    }
  }
}
