package io.skyplane.job.profile;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The sending side of one link, in the source region. It starts when its input ends, that is when
 * every receiver of the link before it has received everything (the first link's: when every
 * region's slots have run a task): links are measured one after another and never share the
 * network or the CPU. It then times TCP connects to a data port of the destination region ({@link RttProbe}),
 * tells each receiver the warm-up to use (the configured one, or 25 round trips when longer: {@link
 * WarmUpHeader}) and sends incompressible records (random bytes generated once in {@code open()}
 * and sent again and again) to the receivers until its {@link SendClock} runs out.
 */
final class GenerateBytes extends AbstractStreamOperator<byte[]>
    implements OneInputStreamOperator<Long, byte[]>, BoundedOneInput {
  private static final long serialVersionUID = 1L;
  private static final int DISTINCT_RECORDS = 16;

  private final ProfileSpec spec;
  private final int index;
  private transient ListAccumulator<RttSample> rtt;
  private transient byte[][] records;
  private transient long primeBytes;

  GenerateBytes(ProfileSpec spec, int index) {
    this.spec = spec;
    this.index = index;
  }

  @Override
  public void open() throws Exception {
    super.open();
    rtt = new ListAccumulator<>();
    getRuntimeContext().addAccumulator(ProfileJob.rttAccumulator(index), rtt);
    int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    Random random = new Random(31L * index + subtask);
    records = new byte[DISTINCT_RECORDS][spec.recordBytes()];
    for (byte[] record : records) {
      random.nextBytes(record);
    }
    primeBytes = 2 * FlowControl.senderBufferBytes(spec.streams(), FlowControl.segmentBytes(getRuntimeContext()));
  }

  @Override
  public void processElement(StreamRecord<Long> element) {
    // the start signal carries nothing: this link starts when its input ends
  }

  @Override
  public void endInput() {
    Link link = spec.links().get(index);
    int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    Endpoint target = spec.target(link.destination(), subtask);
    List<RttSample> samples = target == null
        ? List.of(new RttSample(subtask, 0, "no data endpoint known in " + link.destination()))
        : RttProbe.probe(target, spec.rttProbes(), subtask);
    samples.forEach(rtt::add);
    double median = PairResult.medianNanos(samples);
    long rttNanos = Double.isNaN(median) ? 0 : (long) median;
    Duration warmUp = WarmUpHeader.warmUp(spec.warmUp(), rttNanos);
    StreamRecord<byte[]> record = new StreamRecord<>(WarmUpHeader.encode(warmUp));
    for (int i = 0; i < spec.streams(); i++) {
      output.collect(record); // round robin: one header to each receiver
    }
    SendClock clock = new SendClock(primeBytes, warmUp, spec.duration(), rttNanos);
    int next = 0;
    byte[] bytes;
    do {
      bytes = records[next++ % DISTINCT_RECORDS];
      output.collect(record.replace(bytes));
    } while (clock.sent(System.nanoTime(), bytes.length));
  }
}
