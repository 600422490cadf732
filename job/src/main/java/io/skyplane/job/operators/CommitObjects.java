package io.skyplane.job.operators;

import io.skyplane.store.Crc32c;
import io.skyplane.job.model.ChunkResult;
import io.skyplane.job.model.TransferEvent;
import io.skyplane.job.report.StoreRetries;
import io.skyplane.job.model.TransferEvent.Kind;
import io.skyplane.job.transfer.TransferSpec;
import java.io.IOException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Commits each object exactly once, keyed by object: when every chunk of an object has reported,
 * the object is verified as a whole (every chunk present once and stored with the source's
 * checksum, the object's CRC32C combined from its chunks) and only then completed at the
 * destination ({@link StoreCommit}). Any failed chunk fails the object: its upload is aborted and
 * nothing is written at the destination key.
 */
public final class CommitObjects extends KeyedProcessFunction<String, ChunkResult, TransferEvent> {
  private static final long serialVersionUID = 1L;

  private final TransferSpec spec;
  private transient ValueState<ObjectAssembly> state;
  private transient StoreCommit storeCommit;

  public CommitObjects(TransferSpec spec) {
    this.spec = spec;
  }

  @Override
  public void open(OpenContext openContext) throws IOException {
    storeCommit = new StoreCommit(spec);
    state = getRuntimeContext().getState(
        new ValueStateDescriptor<>("assembly", TypeInformation.of(ObjectAssembly.class)));
  }

  @Override
  public void processElement(ChunkResult chunk, Context context, Collector<TransferEvent> out)
      throws IOException {
    ObjectAssembly assembly = state.value();
    if (assembly == null) {
      assembly = ObjectAssembly.create(chunk.chunkCount(), chunk.readAtMillis());
    }
    int index = chunk.chunkIndex();
    if (index < 0 || index >= assembly.chunkCount || assembly.seen[index]) {
      throw new IllegalStateException("chunk " + index + " of " + chunk.key() + " reported twice or out of range");
    }
    assembly.seen[index] = true;
    assembly.reported++;
    assembly.crcs[index] = chunk.crc32c();
    assembly.lengths[index] = chunk.chunkLength();
    assembly.wireBytes += chunk.wireBytes();
    assembly.tokens[index] = chunk.partToken();
    if (!chunk.uploadId().isEmpty()) {
      assembly.uploadId = chunk.uploadId();
      assembly.uploadStartedMillis = chunk.uploadStartedMillis();
    }
    assembly.firstReadAtMillis = Math.min(assembly.firstReadAtMillis, chunk.readAtMillis());
    if (!chunk.ok() && assembly.error.isEmpty()) {
      assembly.error = chunk.error();
    }
    if (chunk.ok() && chunk.chunkCount() > 1) {
      out.collect(new TransferEvent(Kind.CHUNK, false, chunk.key(), chunk.chunkLength(), chunk.wireBytes(),
          chunk.crc32c(), "", chunk.readAtMillis(), chunk.writtenAtMillis()));
    }
    if (assembly.reported < assembly.chunkCount) {
      state.update(assembly);
      return;
    }
    state.clear();
    out.collect(complete(chunk, assembly));
  }

  private TransferEvent complete(ChunkResult last, ObjectAssembly assembly) {
    String key = last.key();
    int crc = assembly.crcs[0];
    for (int i = 1; i < assembly.chunkCount; i++) {
      crc = Crc32c.combine(crc, assembly.crcs[i], assembly.lengths[i]);
    }
    String error = storeCommit.commit(last, assembly, crc);
    return new TransferEvent(error.isEmpty() ? Kind.COMMITTED : Kind.FAILED,
        error.isEmpty() && assembly.chunkCount == 1, key, last.objectSize(), assembly.wireBytes, crc,
        error, assembly.firstReadAtMillis, System.currentTimeMillis());
  }

  @Override
  public void close() throws Exception {
    if (storeCommit != null) {
      StoreRetries.add(getRuntimeContext(), StoreRetries.DESTINATION, storeCommit.retryCounts());
      storeCommit.close();
    }
  }
}
