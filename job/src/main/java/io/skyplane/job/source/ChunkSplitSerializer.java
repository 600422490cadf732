package io.skyplane.job.source;

import java.io.IOException;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Serializes {@link ChunkSplit}s (flink-connector-files' own serializer refuses subclasses):
 * version 1 holds the {@link FileSourceSplit} fields (id, path, offset, length, mtime, size, reader
 * position), then key, object version, upload id and the upload's start time; version 2 adds the
 * plan path (version 1 splits travel path 0); version 3 adds the chunk's error ("" when none).
 */
public final class ChunkSplitSerializer implements SimpleVersionedSerializer<FileSourceSplit> {
  public static final ChunkSplitSerializer INSTANCE = new ChunkSplitSerializer();
  private static final int VERSION = 3;

  private ChunkSplitSerializer() {}

  @Override
  public int getVersion() {
    return VERSION;
  }

  @Override
  public byte[] serialize(FileSourceSplit split) throws IOException {
    if (!(split instanceof ChunkSplit chunk)) {
      throw new IOException("not a chunk split: " + split);
    }
    DataOutputSerializer out = new DataOutputSerializer(256);
    out.writeUTF(chunk.splitId());
    out.writeUTF(chunk.path().toString());
    out.writeLong(chunk.offset());
    out.writeLong(chunk.length());
    out.writeLong(chunk.fileModificationTime());
    out.writeLong(chunk.fileSize());
    CheckpointedPosition position = chunk.getReaderPosition().orElse(null);
    out.writeBoolean(position != null);
    if (position != null) {
      out.writeLong(position.getOffset());
      out.writeLong(position.getRecordsAfterOffset());
    }
    out.writeUTF(chunk.key());
    out.writeUTF(chunk.version());
    out.writeUTF(chunk.uploadId());
    out.writeLong(chunk.uploadStartedMillis());
    out.writeInt(chunk.pathIndex());
    out.writeUTF(chunk.error());
    return out.getCopyOfBuffer();
  }

  @Override
  public FileSourceSplit deserialize(int version, byte[] serialized) throws IOException {
    if (version < 1 || version > VERSION) {
      throw new IOException("unknown chunk split version " + version);
    }
    DataInputDeserializer in = new DataInputDeserializer(serialized);
    String id = in.readUTF();
    Path path = new Path(in.readUTF());
    long offset = in.readLong();
    long length = in.readLong();
    long mtime = in.readLong();
    long size = in.readLong();
    CheckpointedPosition position =
        in.readBoolean() ? new CheckpointedPosition(in.readLong(), in.readLong()) : null;
    String key = in.readUTF();
    String objectVersion = in.readUTF();
    String uploadId = in.readUTF();
    long uploadStarted = in.readLong();
    int plannedPath = version >= 2 ? in.readInt() : 0;
    String error = version >= 3 ? in.readUTF() : "";
    return new ChunkSplit(id, path, offset, length, mtime, size, position, key, objectVersion, uploadId,
        uploadStarted, plannedPath, error);
  }
}
