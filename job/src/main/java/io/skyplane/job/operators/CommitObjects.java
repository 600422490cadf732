package io.skyplane.job.operators;

import io.skyplane.store.Crc32c;
import io.skyplane.job.model.ChunkResult;
import io.skyplane.job.model.TransferEvent;
import io.skyplane.job.report.StoreRetries;
import io.skyplane.job.model.TransferEvent.Kind;
import io.skyplane.job.transfer.TransferSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Commits each object exactly once, keyed by object: when every chunk of an object has reported,
 * the object is verified as a whole (every chunk present once and read back with the source's
 * checksum, the temporary file exactly the object's size, the object's CRC32C combined from its
 * chunks) and only then renamed into place. Any failed chunk fails the object: its temporary file
 * is deleted and nothing is written at the destination name.
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
    if (!spec.destination().isLocal()) {
      storeCommit = new StoreCommit(spec);
    }
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

  private TransferEvent complete(ChunkResult last, ObjectAssembly assembly) throws IOException {
    String key = last.key();
    int crc = assembly.crcs[0];
    for (int i = 1; i < assembly.chunkCount; i++) {
      crc = Crc32c.combine(crc, assembly.crcs[i], assembly.lengths[i]);
    }
    if (!spec.destination().isLocal()) {
      String error = storeCommit.commit(last, assembly, crc);
      return new TransferEvent(error.isEmpty() ? Kind.COMMITTED : Kind.FAILED,
          error.isEmpty() && assembly.chunkCount == 1, key, last.objectSize(), assembly.wireBytes, crc,
          error, assembly.firstReadAtMillis, System.currentTimeMillis());
    }
    String error = assembly.error;
    if (error.isEmpty()) {
      try {
        error = commitLocal(key, last);
      } catch (IOException | RuntimeException e) {
        error = "cannot commit " + key + ": " + e;
      }
    }
    if (!error.isEmpty()) {
      try {
        Files.deleteIfExists(spec.temporaryOf(key));
      } catch (IOException | RuntimeException e) {
        error += " (and its temporary file could not be removed: " + e.getMessage() + ")";
      }
      return new TransferEvent(Kind.FAILED, false, key, last.objectSize(), assembly.wireBytes, crc,
          error, assembly.firstReadAtMillis, System.currentTimeMillis());
    }
    return new TransferEvent(Kind.COMMITTED, assembly.chunkCount == 1, key, last.objectSize(), assembly.wireBytes, crc, "",
        assembly.firstReadAtMillis, System.currentTimeMillis());
  }

  /**
   * Puts a verified object in place: renames its temporary file over the target (a directory
   * marker becomes a directory). Returns "" when done, else why not.
   */
  private String commitLocal(String key, ChunkResult last) throws IOException {
    Path target = spec.destinationOf(key);
    if (TransferSpec.isMarker(key, last.objectSize()) && !spec.singleObject()) {
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target)) {
        return "cannot create the directory " + target + ": a file is in the way";
      }
      Files.createDirectories(target);
      Files.setLastModifiedTime(target, FileTime.fromMillis(last.objectMtime()));
      return "";
    }
    Path temporary = spec.temporaryOf(key);
    String error = verify(temporary, last.objectSize());
    if (!error.isEmpty()) {
      return error;
    }
    Files.setLastModifiedTime(temporary, FileTime.fromMillis(last.objectMtime()));
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      return "cannot commit " + target + ": a directory is in the way";
    }
    Files.createDirectories(target.getParent());
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      // The target lies on another file system than the run's area (a mount point inside the
      // destination): copy next to the target, then rename there, still atomically.
      Path sibling = target.resolveSibling(".skyplane-" + spec.transferId() + ".tmp");
      try {
        Files.copy(temporary, sibling, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        Files.move(sibling, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(sibling);
      }
      Files.deleteIfExists(temporary);
    }
    return "";
  }

  private static String verify(Path temporary, long objectSize) {
    try {
      long size = Files.size(temporary);
      return size == objectSize ? "" : "assembled " + size + " bytes, expected " + objectSize;
    } catch (IOException e) {
      return "cannot verify " + temporary + ": " + e.getMessage();
    }
  }

  @Override
  public void close() throws Exception {
    if (storeCommit != null) {
      StoreRetries.add(getRuntimeContext(), StoreRetries.DESTINATION, storeCommit.retryCounts());
      storeCommit.close();
    }
  }
}
