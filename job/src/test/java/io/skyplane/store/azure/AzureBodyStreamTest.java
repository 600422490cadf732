package io.skyplane.store.azure;

import static io.skyplane.store.TestData.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

class AzureBodyStreamTest {
  @Test
  void readsEveryBufferInOrderWithBoundedDemand() throws IOException {
    byte[] data = bytes(1, 3_000_000);
    AtomicLong maxOutstanding = new AtomicLong();
    AtomicLong requested = new AtomicLong();
    AtomicLong emitted = new AtomicLong();
    Flux<ByteBuffer> body = Flux.range(0, (data.length + 9_999) / 10_000)
        .map(i -> ByteBuffer.wrap(data, i * 10_000, Math.min(10_000, data.length - i * 10_000)))
        .doOnRequest(n -> maxOutstanding.accumulateAndGet(requested.addAndGet(n) - emitted.get(), Math::max))
        .doOnNext(b -> emitted.incrementAndGet())
        .subscribeOn(Schedulers.boundedElastic());
    AzureBodyStream in = new AzureBodyStream();
    body.subscribe(in);
    assertThat(in.readAllBytes()).isEqualTo(data);
    assertThat(maxOutstanding.get()).isLessThanOrEqualTo(AzureBodyStream.PREFETCH);
  }

  @Test
  void aFailedBodyFailsTheReadThatReachesIt() throws IOException {
    AzureBodyStream in = new AzureBodyStream();
    Flux.just(ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .concatWith(Flux.error(new IOException("connection reset"))).subscribe(in);
    assertThat(in.readNBytes(3)).containsExactly(1, 2, 3);
    assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessage("connection reset");
  }

  @Test
  void closeCancelsTheBody() {
    AtomicBoolean cancelled = new AtomicBoolean();
    AzureBodyStream in = new AzureBodyStream();
    Flux.<ByteBuffer>never().doOnCancel(() -> cancelled.set(true)).subscribe(in);
    in.close();
    assertThat(cancelled).isTrue();
    assertThatThrownBy(in::read).isInstanceOf(IOException.class);
  }
}
